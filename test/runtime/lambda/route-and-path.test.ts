import notes from '../../../examples/notes/app';
import { routeSpecs } from '../../../runtime/app/define-app';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { createQueryStringHash, encodeSymmetric, fromMethodAndUrl } from 'atlassian-jwt';
import { LogEntry, connectAuthenticator, pathFitsRoute } from '../../../runtime/app';
import { createAuthorizerHandler } from '../../../runtime/lambda/authorizer';

// The authorizer picks the route (context-qsh or not) from event.resource and checks the qsh against event.path.
const secret = 'a-shared-secret-of-enough-length-0123456789';
const logs: LogEntry[] = [];
const authorizerFor = (baseUrl?: string) =>
  createAuthorizerHandler(connectAuthenticator({ secretFor: async (k) => (k === 'tenant-a' ? secret : undefined), baseUrl }), (e) => logs.push(e), routeSpecs(notes));

function event(resource: string, path: string, token: string): APIGatewayRequestAuthorizerEvent {
  return {
    type: 'REQUEST',
    methodArn: `arn:aws:execute-api:eu-central-1:111111111111:abc123/prod/GET${resource}`,
    resource,
    path,
    httpMethod: 'GET',
    headers: { Authorization: `JWT ${token}` },
    multiValueHeaders: { Authorization: [`JWT ${token}`] },
    pathParameters: null,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    requestContext: {} as never,
  };
}
const now = Math.floor(Date.now() / 1000);
const contextToken = encodeSymmetric({ iss: 'tenant-a', iat: now, exp: now + 60, qsh: 'context-qsh' }, secret);
const pathToken = (path: string) => encodeSymmetric({ iss: 'tenant-a', iat: now, exp: now + 60, qsh: createQueryStringHash(fromMethodAndUrl('GET', path)) }, secret);

describe('the authorizer route against the path', () => {
  it('allows a context token where resource and path agree (the refusals below are not vacuous)', async () => {
    expect((await authorizerFor()(event('/api/notes', '/api/notes', contextToken))).principalId).toBe('tenant-a');
    expect((await authorizerFor()(event('/pages/notes', '/pages/notes', pathToken('/pages/notes')))).principalId).toBe('tenant-a');
  });

  it('refuses a context token when event.resource names a context route but event.path another route', async () => {
    logs.length = 0;
    await expect(authorizerFor()(event('/api/notes', '/pages/notes', contextToken))).rejects.toThrow(/^Unauthorized$/);
    expect(logs).toEqual([expect.objectContaining({ reason: 'path not of the route /api/notes' })]);
  });

  it('refuses a qsh token made for event.path when event.resource is another route', async () => {
    await expect(authorizerFor()(event('/pages/notes', '/api/notes', pathToken('/api/notes')))).rejects.toThrow(/^Unauthorized$/);
  });

  it("accepts the app's base path in front of the path, as API Gateway custom domains pass it", async () => {
    const res = await authorizerFor('https://eu.app.example.com/app')(event('/api/notes', '/app/api/notes', contextToken));
    expect(res.principalId).toBe('tenant-a');
  });
});

describe('pathFitsRoute', () => {
  it.each([
    ['/api/items/42', '/api/items/:id', true],
    ['/api/items/42/', '/api/items/:id', true],
    ['/api/items/', '/api/items/:id', false],
    ['/api/items/4/2', '/api/items/:id', false],
    ['/api/items', '/api/items/:id', false],
    ['/api/itemsx/1', '/api/items/:id', false],
    ['/', '/', true],
    ['/x', '/', false],
  ])('%s of the route %s: %s', (path, route, fits) => expect(pathFitsRoute(path, route)).toBe(fits));
});
