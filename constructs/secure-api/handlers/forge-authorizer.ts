// Lambda entry of the Forge authorizer: verifies Forge Invocation Tokens on a Forge remote's
// routes (RESIDENCY_ROUTES: the Forge migration hooks and the app's forge routes). It holds no
// tenant data and reaches only Forge's key set (forgeKeySet's fixed URL).
import { forgeAuthenticator } from '../../../runtime/app/authenticate';
import { forgeKeySet } from '../../../runtime/connect-auth';
import { jsonLogger } from '../../../runtime/app/logger';
import { createAuthorizerHandler } from '../../../runtime/lambda/authorizer';
import { readSettings } from '../../../runtime/lambda/settings';

const { forgeAppId, routes } = readSettings(['forgeAppId', 'routes']);

/** API Gateway REQUEST authorizer handler for the forge routes. */
export const handler = createAuthorizerHandler(forgeAuthenticator({ appId: forgeAppId, keys: forgeKeySet() }), jsonLogger, routes);
