// Lambda entry of the app: lifecycle hooks and the notes API, behind API Gateway authorizers.
import { handle } from 'hono/aws-lambda';
import { createApp, gatewayAuthentication, realmRoutes } from '../../../runtime/app';
import app from '../../../examples/notes/app';
import { FunctionDirectory } from '../../../runtime/directory/function-directory';
import { ENV } from '../../../runtime/lambda/environment';
import { FunctionMigrationHooks } from '../../../runtime/migration/function-migration-hooks';
import { tenantSessionStoresFromEnvironment } from '../../../runtime/lambda/tenant-session-stores';

// Every tenant's data on its own STS session: the function's role has none.
const { store, storesFor, settings } = tenantSessionStoresFromEnvironment();
// Set when the realm stack has a directory relay: installs and uninstalls are recorded at the edge.
const directoryFunction = process.env[ENV.directoryFunction];
const directory = directoryFunction ? { directory: new FunctionDirectory({ functionName: directoryFunction }), realm: settings.realm } : undefined;

// Set when the realm stack has a migration function: migration hooks run there (without it, E0003).
const migrationFunction = process.env[ENV.migrationFunction];
const migration = migrationFunction ? new FunctionMigrationHooks({ functionName: migrationFunction }) : undefined;

// Set when the API also serves a Forge remote: its migration hooks, behind the Forge authorizer.
const routes = realmRoutes(Boolean(process.env[ENV.forgeAppId]));

/** API Gateway REST proxy handler. */
export const handler = handle(createApp({ app, realm: settings.realm, appKey: settings.appKey, store, storesFor, authenticate: gatewayAuthentication(), directory, migration, routes }));
