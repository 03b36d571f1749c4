// Lambda entry of the signed-install authorizer. It holds no tenant data and reaches only
// Atlassian's install-key host (the key source refuses any other URL).
import { installAuthenticator } from '../../../runtime/app/authenticate';
import { jsonLogger } from '../../../runtime/app/logger';
import { createInstallKeySource } from '../../../runtime/connect-auth';
import { createAuthorizerHandler } from '../../../runtime/lambda/authorizer';
import { readSettings } from '../../../runtime/lambda/settings';

const settings = readSettings(['baseUrl', 'baseUrls', 'routes']);

/** API Gateway REQUEST authorizer handler for `installed` and `uninstalled`. */
export const handler = createAuthorizerHandler(
  installAuthenticator({ publicKeyFor: createInstallKeySource(), audiences: settings.baseUrls, baseUrl: settings.baseUrl }),
  jsonLogger,
  settings.routes,
);
