// `npm run dev:install`: installs a fake tenant into a running `npm run dev` with a signed
// install, then calls one GET route of the app (`--path`, default its first GET connect or
// context route) with a product-signed token, printing each request and answer.
import { randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG_PATH, loadConfig } from '../lib/config';
import { DevTenant, connectToken, installedBody, signInstallToken } from './dev-client';
import { devInstallKey } from './dev-install-key';
import { AppEntryError, DEFAULT_APP_ENTRY, loadApp } from './load-app';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:3000' },
      app: { type: 'string', default: DEFAULT_APP_ENTRY },
      path: { type: 'string' },
      config: { type: 'string', default: DEFAULT_CONFIG_PATH },
      'key-dir': { type: 'string', default: '.dev' },
    },
  });
  const appBaseUrl = values.url.replace(/\/$/, '');
  const config = loadConfig(values.config);
  const path = values.path ?? (await defaultPath(values.app));
  if (!path.startsWith('/')) throw new AppEntryError(`--path ${path} must start with "/"`);
  const tenant: DevTenant = {
    clientKey: `dev-${randomUUID()}`,
    sharedSecret: randomBytes(32).toString('base64url'),
    baseUrl: 'https://dev-site.atlassian.net',
  };
  const key = devInstallKey(values['key-dir']);
  const install = await signInstallToken(key, tenant, appBaseUrl, 'POST', '/lifecycle/installed');
  await call('POST', `${appBaseUrl}/lifecycle/installed`, `JWT ${install}`, installedBody(config.app.key, tenant));
  await call('GET', `${appBaseUrl}${path}`, `JWT ${connectToken(tenant, 'GET', path)}`);
  process.stdout.write(`\ntenant ${tenant.clientKey} installed; try:\n  curl -H "Authorization: JWT ${connectToken(tenant, 'GET', path)}" '${appBaseUrl}${path}'\n(the token is valid for 3 minutes)\n`);
}

// The first GET route a product-signed token opens: a page or API without path parameters.
async function defaultPath(entry: string): Promise<string> {
  const app = await loadApp(entry);
  const route = app.routes.find((r) => r.method === 'GET' && (r.auth === 'connect' || r.auth === 'context') && !r.path.includes(':'));
  if (!route) throw new AppEntryError(`--app ${entry} has no GET connect or context route without parameters; pass --path`);
  return route.path;
}

async function call(method: string, url: string, authorization: string, body?: string): Promise<void> {
  const res = await fetch(url, { method, headers: { authorization, 'content-type': 'application/json' }, body });
  process.stdout.write(`${method} ${new URL(url).pathname} -> ${res.status} ${(await res.text()).slice(0, 2000)}\n`);
  if (res.status >= 300) throw new Error(`${method} ${url} was refused with ${res.status}`);
}

main().catch((err: unknown) => {
  process.stderr.write(`cdk-residency dev:install: ${(err as Error).message}\n`);
  process.exit(1);
});
