// Lambda entry of the Forge authorizer: verifies Forge Invocation Tokens on a Forge remote's
// routes. It holds no tenant data and reaches only Forge's key set (forgeKeySet's fixed URL).
import { forgeAuthenticator } from '../../../runtime/app/authenticate';
import { FORGE_APP_ROUTES } from '../../../runtime/app/routes';
import { forgeKeySet } from '../../../runtime/connect-auth';
import { jsonLogger } from '../../../runtime/app/logger';
import { createAuthorizerHandler } from '../../../runtime/lambda/authorizer';
import { readSettings } from '../../../runtime/lambda/settings';

const { forgeAppId } = readSettings(['forgeAppId']);

/** API Gateway REQUEST authorizer handler for the Forge migration hooks. */
export const handler = createAuthorizerHandler(forgeAuthenticator({ appId: forgeAppId, keys: forgeKeySet() }), jsonLogger, FORGE_APP_ROUTES);
