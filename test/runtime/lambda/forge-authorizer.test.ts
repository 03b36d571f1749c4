import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { FORGE_APP_ROUTES, LogEntry, forgeAuthenticator } from '../../../runtime/app';
import { createAuthorizerHandler } from '../../../runtime/lambda/authorizer';
import { FORGE_API_BASE_URL, FORGE_APP_ID, ForgeSigner, forgeSigner } from '../app/forge-tokens';

const METHOD_ARN = 'arn:aws:execute-api:eu-central-1:111111111111:abc123/live/POST/forge/migration/schedule';
const INSTALLATION = 'ari:cloud:ecosystem::installation/5d1b7c0e-8f2a-4e3b-9c4d-0a1b2c3d4e5f';

function event(authorization: string | undefined, path = '/forge/migration/schedule', method = 'POST'): APIGatewayRequestAuthorizerEvent {
  return {
    type: 'REQUEST', methodArn: METHOD_ARN, resource: path, path, httpMethod: method,
    headers: authorization ? { Authorization: authorization } : {},
    multiValueHeaders: null, pathParameters: null, queryStringParameters: null, multiValueQueryStringParameters: null, stageVariables: null,
    requestContext: {} as never,
  };
}

let signer: ForgeSigner;
const logs: LogEntry[] = [];
let authorizer: ReturnType<typeof createAuthorizerHandler>;
beforeAll(async () => {
  signer = await forgeSigner();
  // As the deployed Forge authorizer builds it, with a local key set instead of Forge's.
  authorizer = createAuthorizerHandler(forgeAuthenticator({ appId: FORGE_APP_ID, keys: signer.keys }), (e) => logs.push(e), FORGE_APP_ROUTES);
});

describe('the Forge authorizer handler', () => {
  it('allows exactly the hook called, naming the installation as the tenant', async () => {
    const result = await authorizer(event(`Bearer ${await signer.token(INSTALLATION)}`));
    expect(result.principalId).toBe(INSTALLATION);
    expect(result.policyDocument.Statement).toEqual([{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: METHOD_ARN }]);
    expect(result.context).toEqual({ clientKey: INSTALLATION, installationId: INSTALLATION, site: FORGE_API_BASE_URL });
    const status = await authorizer(event(`Bearer ${await signer.token(INSTALLATION)}`, '/forge/migration/status', 'GET'));
    expect(status.principalId).toBe(INSTALLATION);
  });

  it.each([
    ['no token', async () => undefined],
    ['a Connect JWT', async () => 'JWT abc.def.ghi'],
    ['a token for another app', async () => `Bearer ${await signer.token(INSTALLATION, { aud: 'ari:cloud:ecosystem::app/another' })}`],
    ['an expired token', async () => `Bearer ${await signer.token(INSTALLATION, { expiresIn: Math.floor(Date.now() / 1000) - 120 })}`],
    ["a token of another module (the route's forgeModules are the migration module's)", async () => `Bearer ${await signer.token(INSTALLATION, { module: 'items-resolver' })}`],
    ['a user token on a migration hook', async () => `Bearer ${await signer.token(INSTALLATION, { principal: 'a-user' })}`],
  ])('answers 401 (throws "Unauthorized") for %s and logs why', async (_what, header) => {
    logs.length = 0;
    await expect(authorizer(event(await header()))).rejects.toThrow('Unauthorized');
    expect(logs).toEqual([expect.objectContaining({ level: 'warn', event: 'refused', path: '/forge/migration/schedule' })]);
  });

  it('refuses a Connect route: it authorizes only the routes of a Forge remote', async () => {
    await expect(authorizer(event(`Bearer ${await signer.token(INSTALLATION)}`, '/migration/schedule'))).rejects.toThrow('Unauthorized');
  });
});
