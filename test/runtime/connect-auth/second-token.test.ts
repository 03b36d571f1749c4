import { routeSpecs } from '../../../runtime/app/define-app';
import type { APIGatewayProxyResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { createQueryStringHash, encodeSymmetric, fromMethodAndUrl } from 'atlassian-jwt';
import { handle } from 'hono/aws-lambda';
import { randomBytes } from 'node:crypto';
import { LocalTable, startLocalTable } from '../../../dev/local-table';
import { DevTenant, connectToken, installedBody } from '../../../dev/dev-client';
import { extractToken, verifyConnectJwt } from '../../../runtime/connect-auth';
import { LocalKeySource } from '../../../runtime/crypto';
import { LogEntry, connectAuthenticator, createApp, gatewayAuthentication } from '../../../runtime/app';
import { createAuthorizerHandler } from '../../../runtime/lambda/authorizer';
import { DynamoTenantStore } from '../../../runtime/tenants';
import notes from '../../../examples/notes/app';
import { CLIENT_KEY, claimsFor, connectOptions, signed } from './tokens';

// "A token in more than one place is refused": the places a second token hid from that rule.
const refusal = (reason: string) => expect.objectContaining({ name: 'AuthError', status: 401, reason });
const padding = (n: number) => Array.from({ length: n }, (_, i) => `p${i}=${i}`).join('&');

describe('a second jwt query parameter after 1,000 other pairs', () => {
  const request = { method: 'GET', path: '/pages/notes', headers: {} };

  it('refuses a second jwt query parameter after 1,000 other pairs', () => {
    const t = signed(claimsFor({ method: 'GET', url: '/pages/notes' }));
    expect(() => extractToken({ ...request, rawQuery: `jwt=${t}&${padding(1000)}&jwt=${t}` })).toThrow(refusal('token in more than one place'));
    expect(() => extractToken({ ...request, rawQuery: `jwt=${t}&${padding(1000)}&j%77t=other` })).toThrow(refusal('token in more than one place'));
  });

  it('refuses a jwt query parameter after 1,000 pairs beside an Authorization header', () => {
    const t = signed(claimsFor({ method: 'GET', url: '/pages/notes' }));
    expect(() => extractToken({ ...request, rawQuery: `${padding(1000)}&jwt=${t}`, headers: { authorization: `JWT ${t}` } })).toThrow(refusal('token in more than one place'));
  });

  it('refuses a second jwt form field after 1,000 other pairs', () => {
    const t = signed(claimsFor({ method: 'POST', url: '/lifecycle/enabled' }));
    const form = { method: 'POST', path: '/lifecycle/enabled', rawQuery: '', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `jwt=${t}&${padding(1000)}&jwt=${t}` };
    expect(() => extractToken(form)).toThrow(refusal('token in more than one place'));
  });

  it('still reads one token after 1,000 pairs, and verifies its qsh as atlassian-jwt computes it (over the first 1,000)', async () => {
    const url = `/pages/notes?${padding(1000)}`;
    const t = signed(claimsFor({ method: 'GET', url }));
    const rawQuery = `${padding(1000)}&jwt=${t}`;
    expect(extractToken({ ...request, rawQuery })).toBe(t);
    await expect(verifyConnectJwt(t, { method: 'GET', url: `/pages/notes?${rawQuery}` }, connectOptions())).resolves.toMatchObject({ iss: CLIENT_KEY });
  });
});

describe('two Authorization headers at the authorizer', () => {
  const secret = 'a-shared-secret-of-enough-length-0123456789';
  const logs: LogEntry[] = [];
  const authorizer = createAuthorizerHandler(connectAuthenticator({ secretFor: async (k) => (k === 'tenant-a' ? secret : undefined) }), (e) => logs.push(e), routeSpecs(notes));
  const now = Math.floor(Date.now() / 1000);
  const token = (key = secret) => encodeSymmetric({ iss: 'tenant-a', iat: now, exp: now + 60, qsh: createQueryStringHash(fromMethodAndUrl('GET', '/pages/notes')) }, key);
  // API Gateway keeps the last value of a repeated header in `headers`, every value in `multiValueHeaders`.
  const event = (values: string[], name = 'Authorization'): APIGatewayRequestAuthorizerEvent => ({
    type: 'REQUEST',
    methodArn: 'arn:aws:execute-api:eu-central-1:111111111111:abc123/prod/GET/pages/notes',
    resource: '/pages/notes',
    path: '/pages/notes',
    httpMethod: 'GET',
    headers: { [name]: values[values.length - 1]! },
    multiValueHeaders: { [name]: values },
    pathParameters: null,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    requestContext: {} as never,
  });

  it('allows one Authorization header (the refusals below are not vacuous)', async () => {
    expect((await authorizer(event([`JWT ${token()}`]))).principalId).toBe('tenant-a');
  });

  it('refuses two Authorization headers, even when the last one API Gateway keeps in headers is valid', async () => {
    logs.length = 0;
    await expect(authorizer(event([`JWT ${token('a-forged-secret-of-enough-length-000000')}`, `JWT ${token()}`]))).rejects.toThrow(/^Unauthorized$/);
    await expect(authorizer(event([`JWT ${token()}`, `JWT ${token()}`], 'authorization'))).rejects.toThrow(/^Unauthorized$/);
    expect(logs.map((l) => l['reason'])).toEqual(['Authorization header more than once', 'Authorization header more than once']);
  });

  it('refuses an Authorization header repeated under names that differ in case', async () => {
    const e = event([`JWT ${token()}`]);
    e.multiValueHeaders = { Authorization: [`JWT ${token()}`], authorization: ['Bearer x'] };
    await expect(authorizer(e)).rejects.toThrow(/^Unauthorized$/);
  });
});

describe('a form-body jwt beside a header token when deployed', () => {
  const APP_KEY = 'com.example.residency-demo';
  let table: LocalTable;
  let store: DynamoTenantStore;
  const tenant: DevTenant = { clientKey: `ck-${randomBytes(6).toString('hex')}`, sharedSecret: randomBytes(32).toString('base64url'), baseUrl: 'https://form.atlassian.net' };
  beforeAll(async () => {
    table = await startLocalTable();
    store = new DynamoTenantStore({ client: table.client, tableName: table.tableName, keySource: LocalKeySource.random(), app: APP_KEY, realm: 'EU' });
    await store.install(JSON.parse(installedBody(APP_KEY, tenant)));
  });
  afterAll(() => table.close());

  // What API Gateway hands the app after the authorizer allowed the header token: the body is unchecked.
  const proxyEvent = (contentType: string, body: string) => ({
    httpMethod: 'POST',
    path: '/api/notes',
    resource: '/api/notes',
    headers: { host: 'eu.app.example.com', 'content-type': contentType, authorization: `JWT ${connectToken(tenant, 'POST', '/api/notes')}` },
    multiValueHeaders: { host: ['eu.app.example.com'], 'content-type': [contentType] },
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    body,
    isBase64Encoded: false,
    requestContext: { authorizer: { clientKey: tenant.clientKey, principalId: tenant.clientKey }, path: '/api/notes', httpMethod: 'POST', requestId: 'r', stage: 'prod', identity: {} },
  });
  const lambda = async (e: unknown): Promise<APIGatewayProxyResult> => {
    const h = handle(createApp({ app: notes, realm: 'EU', appKey: APP_KEY, store, log: () => undefined, authenticate: gatewayAuthentication() }));
    return (await h(e as never, {} as never)) as APIGatewayProxyResult;
  };

  it('refuses a form-body jwt beside a header token when deployed (the authorizer never sees the body)', async () => {
    const other = connectToken({ ...tenant, sharedSecret: 'attacker' }, 'POST', '/api/notes');
    const res = await lambda(proxyEvent('application/x-www-form-urlencoded; charset=utf-8', `text=hi&jwt=${other}`));
    expect(res.statusCode).toBe(401);
    expect(JSON.parse(res.body)).toEqual({ error: 'unauthorized' });
  });

  it('refuses a form-body jwt after 1,000 other pairs', async () => {
    const res = await lambda(proxyEvent('application/x-www-form-urlencoded', `${padding(1000)}&jwt=x`));
    expect(res.statusCode).toBe(401);
  });

  it('serves the same request with a JSON body that merely contains "jwt=" (the refusals above are not vacuous)', async () => {
    const res = await lambda(proxyEvent('application/json', JSON.stringify({ text: 'jwt=not a form' })));
    expect(res.statusCode).toBe(201);
  });
});
