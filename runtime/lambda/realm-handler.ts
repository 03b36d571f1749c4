import { handle } from 'hono/aws-lambda';
import { createApp } from '../app/create-app';
import { FunctionEgress } from '../atlassian-api/function-egress';
import { ResidentApp, isResidentApp, routeSpecs } from '../app/define-app';
import { gatewayAuthentication } from '../app/request-authentication';
import type { TenantStoresFor } from '../app/tenant-context';
import { FunctionDirectory } from '../directory/function-directory';
import { FunctionMigrationHooks } from '../migration/function-migration-hooks';
import { AppSecrets } from '../secrets/app-secrets';
import { ENV } from './environment';
import { tenantStoreFromEnvironment } from './tenant-store-from-environment';
import { tenantSessionStoresFromEnvironment } from './tenant-session-stores';

/** Options of {@link realmHandler}. */
export interface RealmHandlerOptions {
  /**
   * Each tenant's stores. @default - each tenant's items, objects and presigned URLs on its own STS session of
   * `RESIDENCY_TENANT_ROLE_ARN` (`tenantSessionStoresFromEnvironment`): the function's role holds no data permission
   */
  readonly storesFor?: TenantStoresFor;
}

/**
 * The app function's Lambda handler for `app`, behind the realm API's authorizers: the
 * toolkit's lifecycle and migration hooks and the app's routes, from the environment the
 * realm stack sets (tenant table and key, data bucket, app secrets prefix, directory relay,
 * migration function, Forge app id). The realm stack generates an entry calling it; it is
 * built once per cold start.
 */
export function realmHandler(app: ResidentApp, options: RealmHandlerOptions = {}) {
  if (!isResidentApp(app)) throw new TypeError('realmHandler needs an app made by defineApp (the default export of the app entry)');
  const env = process.env;
  // Fail closed: without a tenant role there are no tenant stores, never the function's own credentials.
  const sessions = options.storesFor ? undefined : tenantSessionStoresFromEnvironment(env);
  const { store, settings } = sessions ?? tenantStoreFromEnvironment();
  // Set when the realm stack has a directory relay: installs and uninstalls are recorded at the edge.
  const directoryFunction = env[ENV.directoryFunction];
  const realmOfHost = realmHostsOf(env[ENV.realmHosts]);
  const directory = directoryFunction ? { directory: new FunctionDirectory({ functionName: directoryFunction }), realm: settings.realm, ...(realmOfHost ? { realmOfHost } : {}) } : undefined;
  // Set when the realm stack has a migration function: migration hooks run there (without it, E0003).
  const migrationFunction = env[ENV.migrationFunction];
  const migration = migrationFunction ? new FunctionMigrationHooks({ functionName: migrationFunction }) : undefined;
  const secretPrefix = env[ENV.secretPrefix];
  // Set when the realm stack has an egress function: tenant.atlassian calls leave through it, never from here.
  const egressFunction = env[ENV.egressFunction];
  return handle(
    createApp({
      app,
      realm: settings.realm,
      appKey: settings.appKey,
      store,
      authenticate: gatewayAuthentication(),
      directory,
      migration,
      // The table the API was built from: with a Forge app id it also serves the Forge migration hooks.
      routes: routeSpecs(app, { forgeRemote: Boolean(env[ENV.forgeAppId]) }),
      storesFor: options.storesFor ?? sessions!.storesFor,
      ...(secretPrefix ? { secrets: new AppSecrets({ prefix: secretPrefix }) } : {}),
      ...(egressFunction ? { egress: new FunctionEgress(egressFunction) } : {}),
    }),
  );
}

/**
 * `RESIDENCY_REALM_HOSTS` as a host-to-realm map, or undefined when it is not set.
 * @throws Error saying what is wrong (at cold start) when it is not a JSON object of host names to realm names
 */
export function realmHostsOf(value: string | undefined): Readonly<Record<string, string>> | undefined {
  if (value === undefined || value === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = undefined;
  }
  const entries = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? Object.entries(parsed) : undefined;
  if (!entries || entries.some(([host, realm]) => !/^[a-z0-9.-]{1,253}$/.test(host) || typeof realm !== 'string' || !/^[A-Za-z]{2,16}$/.test(realm))) {
    throw new Error(`cdk-residency runtime settings: ${ENV.realmHosts} must be a JSON object of lower-case host names to realm names`);
  }
  return Object.fromEntries(entries) as Record<string, string>;
}
