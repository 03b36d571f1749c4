import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { createQueryStringHash, encodeSymmetric, fromMethodAndUrl } from 'atlassian-jwt';
import { connectAuthenticator, LogEntry } from '../../../runtime/app';
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
const authorizer = createAuthorizerHandler(connectAuthenticator({ secretFor: async (k) => secrets.get(k) }), (e) => logs.push(e));

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
