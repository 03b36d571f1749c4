// Lambda entry of the Connect authorizer: HS256 JWT + qsh against the tenant's shared secret.
// Its routes (RESIDENCY_ROUTES) are the app's connect and context routes: context-qsh only where declared.
import { connectAuthenticator } from '../../../runtime/app/authenticate';
import { jsonLogger } from '../../../runtime/app/logger';
import { createAuthorizerHandler } from '../../../runtime/lambda/authorizer';
import { readSettings } from '../../../runtime/lambda/settings';
import { tenantStoreFromEnvironment } from '../../../runtime/lambda/tenant-store-from-environment';

const { store, settings } = tenantStoreFromEnvironment();
const { routes } = readSettings(['routes']);

/** API Gateway REQUEST authorizer handler. */
export const handler = createAuthorizerHandler(
  connectAuthenticator({ tenantFor: (clientKey) => store.liveTenant(clientKey), baseUrl: settings.baseUrl }),
  jsonLogger,
  routes,
);
