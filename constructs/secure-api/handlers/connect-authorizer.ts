// Lambda entry of the Connect authorizer: HS256 JWT + qsh against the tenant's shared secret.
import { connectAuthenticator } from '../../../runtime/app/authenticate';
import { createAuthorizerHandler } from '../../../runtime/lambda/authorizer';
import { tenantStoreFromEnvironment } from './tenant-store';

const { store, settings } = tenantStoreFromEnvironment();

/** API Gateway REQUEST authorizer handler. */
export const handler = createAuthorizerHandler(
  connectAuthenticator({ secretFor: (clientKey) => store.sharedSecret(clientKey), baseUrl: settings.baseUrl }),
);
