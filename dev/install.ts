// `npm run dev:install`: installs a fake tenant into a running `npm run dev` and calls one GET route
// of the app, printing each request and answer. By default a Connect tenant: a signed install, then
// a product-signed token on the app's first GET connect or context route (`--path`). With `--forge`
// a Forge installation: Forge's installed event through the lifecycle trigger, then a Forge
// Invocation Token of the route's module on the app's first GET forge route (`--path`, `--module`);
// the tokens are minted with the dev Forge key `npm run dev` verifies against.
import { randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG_PATH, loadConfig } from '../lib/config';
import { FORGE_LIFECYCLE_MODULE_KEY, FORGE_LIFECYCLE_PATH } from '../runtime/app/routes';
import type { ResidentApp } from '../runtime/app/define-app';
import { DevForgeInstallation, DevTenant, connectToken, forgeInvocationToken, forgeLifecycleBody, installedBody, signInstallToken } from './dev-client';
import { devForgeKey } from './dev-forge-key';
import { devInstallKey } from './dev-install-key';
import { AppEntryError, DEFAULT_APP_ENTRY, loadApp } from './load-app';

/** The app `--forge` assumes when `--app` is not given: the Forge example. */
export const DEFAULT_FORGE_APP_ENTRY = 'examples/forge-tasks/app.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:3000' },
      app: { type: 'string' },
      path: { type: 'string' },
      module: { type: 'string' },
      forge: { type: 'boolean', default: false },
      config: { type: 'string', default: DEFAULT_CONFIG_PATH },
      'key-dir': { type: 'string', default: '.dev' },
    },
  });
  const appBaseUrl = values.url.replace(/\/$/, '');
  const entry = values.app ?? (values.forge ? DEFAULT_FORGE_APP_ENTRY : DEFAULT_APP_ENTRY);
  const app = await loadApp(entry);
  if (values.path !== undefined && !values.path.startsWith('/')) throw new AppEntryError(`--path ${values.path} must start with "/"`);
  if (values.forge) await installForge(app, entry, appBaseUrl, values);
  else await installConnect(app, entry, appBaseUrl, loadConfig(values.config).app.key, values);
}

interface Flags {
  readonly path?: string;
  readonly module?: string;
  readonly 'key-dir': string;
}

async function installConnect(app: ResidentApp, entry: string, appBaseUrl: string, appKey: string, values: Flags): Promise<void> {
  const path = values.path ?? defaultRoute(app, entry, false).path;
  const tenant: DevTenant = {
    clientKey: `dev-${randomUUID()}`,
    sharedSecret: randomBytes(32).toString('base64url'),
    baseUrl: 'https://dev-site.atlassian.net',
  };
  const key = devInstallKey(values['key-dir']);
  const install = await signInstallToken(key, tenant, appBaseUrl, 'POST', '/lifecycle/installed');
  await call('POST', `${appBaseUrl}/lifecycle/installed`, `JWT ${install}`, installedBody(appKey, tenant));
  await call('GET', `${appBaseUrl}${path}`, `JWT ${connectToken(tenant, 'GET', path)}`);
  process.stdout.write(`\ntenant ${tenant.clientKey} installed; try:\n  curl -H "Authorization: JWT ${connectToken(tenant, 'GET', path)}" '${appBaseUrl}${path}'\n(the token is valid for 3 minutes)\n`);
}

async function installForge(app: ResidentApp, entry: string, appBaseUrl: string, values: Flags): Promise<void> {
  const route = values.path === undefined ? defaultRoute(app, entry, true) : app.routes.find((r) => r.auth === 'forge' && r.method === 'GET' && r.path === values.path);
  const path = values.path ?? route!.path;
  const moduleKey = values.module ?? route?.forgeModules?.[0];
  if (!moduleKey) throw new AppEntryError(`--path ${path} is not a GET forge route of --app ${entry} that names its modules; pass --module <key>`);
  const cloudId = randomUUID();
  const installation: DevForgeInstallation = {
    installationId: `ari:cloud:ecosystem::installation/${randomUUID()}`,
    apiBaseUrl: `https://api.atlassian.com/ex/jira/${cloudId}`,
    cloudId,
  };
  const key = devForgeKey(values['key-dir']);
  // Forge's lifecycle trigger: a system invocation of the trigger module, no user.
  const trigger = await forgeInvocationToken(key, installation, { moduleKey: FORGE_LIFECYCLE_MODULE_KEY });
  await call('POST', `${appBaseUrl}${FORGE_LIFECYCLE_PATH}`, `Bearer ${trigger}`, forgeLifecycleBody('avi:forge:installed:app', installation));
  // A user's invocation when the route's endpoint asks for the user's token, a system one otherwise.
  const invocation = { moduleKey, ...(route?.forgeTokens?.appUserToken ? { principal: `dev-user-${randomBytes(6).toString('hex')}` } : {}) };
  await call('GET', `${appBaseUrl}${path}`, `Bearer ${await forgeInvocationToken(key, installation, invocation)}`);
  process.stdout.write(
    `\nForge installation ${installation.installationId} installed (app ${key.appAri}); try:\n` +
      `  curl -H "Authorization: Bearer ${await forgeInvocationToken(key, installation, invocation)}" '${appBaseUrl}${path}'\n(the token is valid for 5 minutes)\n`,
  );
}

// The first GET route a token opens without path parameters: Connect (connect or context) or Forge.
function defaultRoute(app: ResidentApp, entry: string, forge: boolean): ResidentApp['routes'][number] {
  const route = app.routes.find((r) => r.method === 'GET' && (forge ? r.auth === 'forge' : r.auth === 'connect' || r.auth === 'context') && !r.path.includes(':'));
  if (!route) throw new AppEntryError(`--app ${entry} has no GET ${forge ? 'forge' : 'connect or context'} route without parameters; pass --path`);
  return route;
}

async function call(method: string, url: string, authorization: string, body?: string): Promise<void> {
  const res = await fetch(url, { method, headers: { authorization, 'content-type': 'application/json' }, body });
  process.stdout.write(`${method} ${new URL(url).pathname} -> ${res.status} ${(await res.text()).slice(0, 2000)}\n`);
  if (res.status === 404) throw new Error(`${method} ${url} is not served (404): does npm run dev serve this --app?`);
  if (res.status >= 300) throw new Error(`${method} ${url} was refused with ${res.status}`);
}

main().catch((err: unknown) => {
  process.stderr.write(`cdk-residency dev:install: ${(err as Error).message}\n`);
  process.exit(1);
});
