// `npm run dev`: one realm of the vendor's app (`--app`, default the notes example) on localhost with the Lambda handlers' code, a DynamoDB
// protocol server (dynalite) and a local key source instead of KMS. Data lives in memory. It serves the Forge remote's routes
// too (lifecycle trigger, migration hooks, the app's `forge` routes), verifying Forge Invocation Tokens against the dev Forge
// key's JWKS for a local Forge app id (dev/dev-forge-key.ts), which `npm run dev:install -- --forge` mints tokens with.
// The migration hooks run against this one stack: a migration to a realm sharing it moves the
// (in-memory) directory entry, and any other location is refused with E0002.
import { Hono } from 'hono';
import { createLocalJWKSet } from 'jose';
import { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { ConfigError, DEFAULT_CONFIG_PATH, loadConfig } from '../lib/config';
import { connectDescriptor } from '../lib/atlassian/connect-descriptor';
import { AuthError } from '../runtime/connect-auth';
import { LocalKeySource } from '../runtime/crypto';
import { InMemoryDirectory } from '../runtime/directory/in-memory-directory';
import { InMemoryObjectStore, MigrationEngine, RealmEndpoint } from '../runtime/migration';
import { SECURITY_HEADERS } from '../runtime/http/security-headers';
import { DynamoTenantStore } from '../runtime/tenants';
import {
  connectAuthenticator, createApp, forgeAuthenticator, inlineAuthentication, installAuthenticator, routeAuthenticator, routeSpecs,
} from '../runtime/app';
import { devForgeKey } from './dev-forge-key';
import { listenDev } from './http-server';
import { devInstallKey } from './dev-install-key';
import { AppEntryError, DEFAULT_APP_ENTRY, loadApp } from './load-app';
import { startLocalTable } from './local-table';

const USAGE = 'usage: npm run dev -- [--app <module>] [--realm <Realm>] [--port <n>] [--config <file>] [--key-dir <dir>]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      app: { type: 'string', default: DEFAULT_APP_ENTRY },
      realm: { type: 'string', default: 'Global' },
      port: { type: 'string', default: '3000' },
      config: { type: 'string', default: DEFAULT_CONFIG_PATH },
      'key-dir': { type: 'string', default: '.dev' },
    },
  });
  const config = loadConfig(values.config);
  const vendorApp = await loadApp(values.app);
  const realm = config.realms.find((r) => r.name === values.realm);
  if (!realm) throw new UsageError(`--realm ${values.realm} is not configured; expected one of ${config.realms.map((r) => r.name).join(', ')}`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${values.port} is not a port number`);

  const table = await startLocalTable();
  const keySource = LocalKeySource.random();
  const store = new DynamoTenantStore({
    client: table.client,
    tableName: table.tableName,
    keySource,
    app: config.app.key,
    realm: realm.stackRealm,
    shredAfterDays: config.tenants.shredAfterDays,
  });
  const directory = new InMemoryDirectory();
  // One object store for tenant.objects and the migration engine, so migrations move what the app wrote.
  const objects = new InMemoryObjectStore();
  const endpoint: RealmEndpoint = { stackRealm: realm.stackRealm, client: table.client, tableName: table.tableName, keySource, objects };
  const migration = new MigrationEngine({
    app: config.app.key,
    realm: realm.name,
    realms: Object.fromEntries(config.realms.filter((r) => r.stackRealm === realm.stackRealm).map((r) => [r.name, endpoint])),
    directory,
    maxConcurrent: config.migration.maxConcurrent,
  });
  const installKey = devInstallKey(values['key-dir']);
  const forgeKey = devForgeKey(values['key-dir']);
  // The base URL (and so the descriptor and install audience) is known once the port is bound.
  let app: Hono | undefined;
  const server = await listenDev((req) => app?.fetch(req) ?? new Response(null, { status: 503, headers: SECURITY_HEADERS }), port, '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  app = createApp({
    app: vendorApp,
    realm: realm.name,
    appKey: config.app.key,
    // The Forge remote's routes as well: a dev realm serves Connect and Forge tenants alike.
    routes: routeSpecs(vendorApp, { forgeRemote: true }),
    store,
    objects,
    migration,
    directory: { directory, realm: realm.name },
    descriptor: connectDescriptor(config, vendorApp, { baseUrlOverride: baseUrl }),
    authenticate: inlineAuthentication(
      routeAuthenticator({
        connect: connectAuthenticator({ tenantFor: (clientKey) => store.liveTenant(clientKey), baseUrl }),
        install: installAuthenticator({
          publicKeyFor: async (kid) => {
            if (kid !== installKey.kid) throw new AuthError('unknown install key id');
            return installKey.publicPem;
          },
          audiences: [baseUrl],
          baseUrl,
        }),
        forge: forgeAuthenticator({ appId: forgeKey.appAri, keys: createLocalJWKSet({ keys: [...forgeKey.jwks.keys] }) }),
      }),
    ),
  });
  process.stdout.write(`cdk-residency dev: ${values.app}, realm ${realm.name} listening on ${baseUrl} (descriptor: ${baseUrl}/atlassian-connect.json; Forge app ${forgeKey.appAri})\n`);
  const stop = () => server.close(() => void table.close().then(() => process.exit(0)));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

class UsageError extends Error {}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof UsageError || err instanceof AppEntryError) {
    process.stderr.write(`${err.message}\n${err instanceof UsageError ? `${USAGE}\n` : ''}`);
  } else {
    process.stderr.write(`cdk-residency dev: ${(err as Error).message}\n`);
  }
  process.exit(1);
});
