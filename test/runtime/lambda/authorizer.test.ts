import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { createQueryStringHash, encodeSymmetric, fromMethodAndUrl } from 'atlassian-jwt';
import notes from '../../../examples/notes/app';
import vendor from '../../fixtures/vendor-app/app';
import { connectAuthenticator, LogEntry, routeSpecs } from '../../../runtime/app';
import { appRequestOfAuthorizerEvent, createAuthorizerHandler } from '../../../runtime/lambda/authorizer';

const secret = 'a-shared-secret-of-enough-length-0123456789';
const secrets = new Map([['tenant-a', secret]]);
const METHOD_ARN = 'arn:aws:execute-api:eu-central-1:111111111111:abc123/prod/GET/api/notes';

function event(token: string | undefined, query: Record<string, string[]> | null = null, path = '/api/notes'): APIGatewayRequestAuthorizerEvent {
  return {
    type: 'REQUEST',
    methodArn: METHOD_ARN,
    resource: path,
    path,
    httpMethod: 'GET',
    headers: token ? { Authorization: `JWT ${token}` } : {},
    multiValueHeaders: null,
    pathParameters: null,
    queryStringParameters: query ? Object.fromEntries(Object.entries(query).map(([k, v]) => [k, v[v.length - 1]!])) : null,
    multiValueQueryStringParameters: query,
    stageVariables: null,
    requestContext: {} as never,
  };
}

function token(url: string, claims: Record<string, unknown> = {}, key = secret): string {
  const now = Math.floor(Date.now() / 1000);
  const qsh = createQueryStringHash(fromMethodAndUrl('GET', url));
  return encodeSymmetric({ iss: 'tenant-a', iat: now, exp: now + 60, qsh, ...claims }, key);
}

const logs: LogEntry[] = [];
// As the realm stack configures it: the app's connect and context routes (RESIDENCY_ROUTES).
const connectRoutes = (app: typeof notes) => routeSpecs(app).filter((r) => r.auth === 'connect' || r.auth === 'context');
const authorizer = createAuthorizerHandler(connectAuthenticator({ secretFor: async (k) => secrets.get(k) }), (e) => logs.push(e), connectRoutes(notes));

describe('the Connect authorizer handler', () => {
  it('allows exactly the method called, naming the tenant in the context', async () => {
    const result = await authorizer(event(token('/api/notes')));
    expect(result.principalId).toBe('tenant-a');
    expect(result.policyDocument.Statement).toEqual([{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: METHOD_ARN }]);
    expect(result.context).toEqual({ clientKey: 'tenant-a' });
  });

  it('passes the user account id on when the token names one', async () => {
    const result = await authorizer(event(token('/api/notes', { sub: 'account-1' })));
    expect(result.context).toEqual({ clientKey: 'tenant-a', accountId: 'account-1' });
  });

  it('verifies the qsh over the query API Gateway decoded (values with spaces, commas and repeats)', async () => {
    const query = { b: ['x y', 'a,b'], a: ['1'] };
    const url = '/api/notes?b=x%20y&b=a%2Cb&a=1';
    expect(appRequestOfAuthorizerEvent(event('t', query)).rawQuery).toBe('b=x%20y&b=a%2Cb&a=1');
    expect((await authorizer(event(token(url), query))).principalId).toBe('tenant-a');
  });

  it.each([
    ['no token', undefined],
    ['a token signed with another secret', token('/api/notes', {}, 'another-secret-of-enough-length-000000')],
    ['a token for another query', token('/api/notes?x=1')],
  ])('answers 401 (throws "Unauthorized") for %s and logs why', async (_what, t) => {
    logs.length = 0;
    await expect(authorizer(event(t))).rejects.toThrow(/^Unauthorized$/);
    expect(logs).toEqual([expect.objectContaining({ event: 'refused', reason: expect.any(String) })]);
  });

  it('refuses a route that is not declared', async () => {
    await expect(authorizer(event(token('/admin'), null, '/admin'))).rejects.toThrow(/^Unauthorized$/);
  });
});

describe("the Connect authorizer on a vendor app's routes", () => {
  const vendorAuthorizer = createAuthorizerHandler(connectAuthenticator({ secretFor: async (k) => secrets.get(k) }), () => undefined, connectRoutes(vendor));
  const contextToken = () => {
    const now = Math.floor(Date.now() / 1000);
    return encodeSymmetric({ iss: 'tenant-a', iat: now, exp: now + 60, qsh: 'context-qsh' }, secret);
  };

  it('accepts a context token on a context route with a path parameter (resource /api/items/{id})', async () => {
    const e = { ...event(contextToken(), null, '/api/items/{id}'), path: '/api/items/42' };
    expect((await vendorAuthorizer(e)).principalId).toBe('tenant-a');
  });

  it('refuses a context token on a connect route of the same app', async () => {
    await expect(vendorAuthorizer(event(contextToken(), null, '/pages/board'))).rejects.toThrow(/^Unauthorized$/);
  });

  it("refuses a route it does not stand in front of: the app's forge route, even with a valid Connect token", async () => {
    const now = Math.floor(Date.now() / 1000);
    const qsh = createQueryStringHash(fromMethodAndUrl('POST', '/forge/items'));
    const e = { ...event(encodeSymmetric({ iss: 'tenant-a', iat: now, exp: now + 60, qsh }, secret), null, '/forge/items'), httpMethod: 'POST' };
    await expect(vendorAuthorizer(e)).rejects.toThrow(/^Unauthorized$/);
  });
});
