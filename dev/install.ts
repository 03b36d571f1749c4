// `npm run dev:install`: installs a fake tenant into a running `npm run dev` with a signed
// install, adds a note and lists the notes, printing each request and answer.
import { randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG_PATH, loadConfig } from '../lib/config';
import { DevTenant, connectToken, installedBody, signInstallToken } from './dev-client';
import { devInstallKey } from './dev-install-key';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:3000' },
      config: { type: 'string', default: DEFAULT_CONFIG_PATH },
      'key-dir': { type: 'string', default: '.dev' },
    },
  });
  const appBaseUrl = values.url.replace(/\/$/, '');
  const config = loadConfig(values.config);
  const tenant: DevTenant = {
    clientKey: `dev-${randomUUID()}`,
    sharedSecret: randomBytes(32).toString('base64url'),
    baseUrl: 'https://dev-site.atlassian.net',
  };
  const key = devInstallKey(values['key-dir']);
  const install = await signInstallToken(key, tenant, appBaseUrl, 'POST', '/lifecycle/installed');
  await call('POST', `${appBaseUrl}/lifecycle/installed`, `JWT ${install}`, installedBody(config.app.key, tenant));
  const note = JSON.stringify({ text: `hello from ${tenant.clientKey}` });
  await call('POST', `${appBaseUrl}/api/notes`, `JWT ${connectToken(tenant, 'POST', '/api/notes')}`, note);
  await call('GET', `${appBaseUrl}/api/notes`, `JWT ${connectToken(tenant, 'GET', '/api/notes')}`);
  process.stdout.write(`\ntenant ${tenant.clientKey} installed; try:\n  curl -H "Authorization: JWT ${connectToken(tenant, 'GET', '/api/notes')}" ${appBaseUrl}/api/notes\n(the token is valid for 3 minutes)\n`);
}

async function call(method: string, url: string, authorization: string, body?: string): Promise<void> {
  const res = await fetch(url, { method, headers: { authorization, 'content-type': 'application/json' }, body });
  process.stdout.write(`${method} ${new URL(url).pathname} -> ${res.status} ${await res.text()}\n`);
  if (res.status >= 300) throw new Error(`${method} ${url} was refused with ${res.status}`);
}

main().catch((err: unknown) => {
  process.stderr.write(`cdk-residency dev:install: ${(err as Error).message}\n`);
  process.exit(1);
});
