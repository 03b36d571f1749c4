import type { APIGatewayProxyResult } from 'aws-lambda';
import { encodeSymmetric } from 'atlassian-jwt';
import { handle } from 'hono/aws-lambda';
import { randomBytes } from 'node:crypto';
import { startLocalTable, LocalTable } from '../../../dev/local-table';
import { DevTenant, connectToken, installedBody } from '../../../dev/dev-client';
import { AuthError } from '../../../runtime/connect-auth';
import { LocalKeySource } from '../../../runtime/crypto';
import { DynamoTenantStore } from '../../../runtime/tenants';
import {
  LogEntry, connectAuthenticator, createApp, gatewayAuthentication, inlineAuthentication, routeAuthenticator,
} from '../../../runtime/app';
import { headerProblems } from '../../helpers/security-headers';
import notes from '../../../examples/notes/app';

// The app in process with inline authentication; the install authenticator trusts the
// token's iss as the signer so the lifecycle logic itself is under test here (signed
// install verification has its own tests).
const APP_KEY = 'com.example.residency-demo';
let table: LocalTable;
let store: DynamoTenantStore;
const logs: LogEntry[] = [];

beforeAll(async () => {
  table = await startLocalTable();
  store = new DynamoTenantStore({ client: table.client, tableName: table.tableName, keySource: LocalKeySource.random(), app: APP_KEY, realm: 'EU' });
});
afterAll(() => table.close());

const app = () =>
  createApp({
    app: notes,
    realm: 'EU',
    appKey: APP_KEY,
    store,
    log: (e) => logs.push(e),
    authenticate: inlineAuthentication(
      routeAuthenticator({
        connect: connectAuthenticator({ secretFor: (k) => store.sharedSecret(k) }),
        install: async (req) => {
          const signer = req.headers['x-test-signer'];
          if (!signer) throw new AuthError('no signer');
          return { clientKey: signer };
        },
      }),
    ),
  });

const newTenant = (): DevTenant => ({
  clientKey: `ck-${randomBytes(6).toString('hex')}`,
  sharedSecret: randomBytes(32).toString('base64url'),
  baseUrl: `https://${randomBytes(4).toString('hex')}.atlassian.net`,
});

async function install(tenant: DevTenant, signer = tenant.clientKey, body = installedBody(APP_KEY, tenant)) {
  return app().request('/lifecycle/installed', { method: 'POST', headers: { 'x-test-signer': signer }, body });
}
const get = (tenant: DevTenant, path: string) => app().request(path, { headers: { authorization: `JWT ${connectToken(tenant, 'GET', path)}` } });
const post = (tenant: DevTenant, path: string, body: string) =>
  app().request(path, { method: 'POST', headers: { authorization: `JWT ${connectToken(tenant, 'POST', path)}` }, body });

describe('lifecycle hooks', () => {
  it('installs a tenant and then authenticates its requests', async () => {
    const t = newTenant();
    expect((await get(t, '/api/notes')).status).toBe(401);
    expect((await install(t)).status).toBe(204);
    expect((await get(t, '/api/notes')).status).toBe(200);
  });

  it('is idempotent on redelivery of installed', async () => {
    const t = newTenant();
    expect((await install(t)).status).toBe(204);
    expect((await install(t)).status).toBe(204);
    expect((await get(t, '/api/notes')).status).toBe(200);
  });

  it('refuses an installed body whose clientKey is not the token issuer', async () => {
    const t = newTenant();
    expect((await install(t, 'someone-else')).status).toBe(401);
    expect(await store.get(t.clientKey)).toBeUndefined();
  });

  it('refuses another clientKey claiming an existing installation with 409, leaving the first intact', async () => {
    const first = newTenant();
    expect((await install(first)).status).toBe(204);
    const thief = { ...newTenant(), baseUrl: first.baseUrl };
    expect((await install(thief)).status).toBe(409);
    expect((await get(first, '/api/notes')).status).toBe(200);
    expect((await get(thief, '/api/notes')).status).toBe(401);
  });

  it.each([
    ['no body', undefined],
    ['a body that is not JSON', '{"clientKey":'],
    ['a body without sharedSecret', JSON.stringify({ key: APP_KEY, clientKey: 'x', baseUrl: 'https://x.atlassian.net', eventType: 'installed' })],
    ['a body for another app', JSON.stringify({ key: 'other', clientKey: 'x', sharedSecret: 's'.repeat(40), baseUrl: 'https://x.atlassian.net', eventType: 'installed' })],
    ['a body with an http baseUrl', JSON.stringify({ key: APP_KEY, clientKey: 'x', sharedSecret: 's'.repeat(40), baseUrl: 'http://x.atlassian.net', eventType: 'installed' })],
  ])('answers 400 with the security headers for %s, and stores nothing', async (_what, body) => {
    const res = await app().request('/lifecycle/installed', { method: 'POST', headers: { 'x-test-signer': 'x' }, body });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'bad request' });
    expect(headerProblems(res.headers)).toEqual([]);
    expect(await store.get('x')).toBeUndefined();
  });

  it('disables and enables a tenant with Connect-signed hooks', async () => {
    const t = newTenant();
    await install(t);
    const body = (eventType: string) => JSON.stringify({ key: APP_KEY, clientKey: t.clientKey, eventType });
    expect((await post(t, '/lifecycle/disabled', body('disabled'))).status).toBe(204);
    expect((await store.get(t.clientKey))?.state).toBe('disabled');
    expect((await post(t, '/lifecycle/enabled', body('enabled'))).status).toBe(204);
    expect((await store.get(t.clientKey))?.state).toBe('installed');
    expect((await post(t, '/lifecycle/enabled', body('disabled'))).status).toBe(400);
  });

  it('uninstalls a tenant, after which its tokens are refused', async () => {
    const t = newTenant();
    await install(t);
    const body = JSON.stringify({ key: APP_KEY, clientKey: t.clientKey, eventType: 'uninstalled' });
    const res = await app().request('/lifecycle/uninstalled', { method: 'POST', headers: { 'x-test-signer': t.clientKey }, body });
    expect(res.status).toBe(204);
    expect((await get(t, '/api/notes')).status).toBe(401);
  });
});

describe('notes API', () => {
  it("never shows one tenant another tenant's notes", async () => {
    const a = newTenant();
    const b = newTenant();
    await install(a);
    await install(b);
    expect((await post(a, '/api/notes', JSON.stringify({ text: 'secret plan of A' }))).status).toBe(201);
    expect((await post(b, '/api/notes', JSON.stringify({ text: 'note of B' }))).status).toBe(201);
    const seenByB = (await (await get(b, '/api/notes')).json()) as { notes: { text: string }[] };
    expect(seenByB.notes.map((n) => n.text)).toEqual(['note of B']);
    const page = await (await get(a, '/pages/notes')).text();
    expect(page).toContain('secret plan of A');
    expect(page).not.toContain('note of B');
  });

  it('escapes note text in the page', async () => {
    const t = newTenant();
    await install(t);
    await post(t, '/api/notes', JSON.stringify({ text: '<script>alert(1)</script>' }));
    const page = await (await get(t, '/pages/notes')).text();
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).toContain('&#60;script&#62;');
  });

  it('answers 400 for a note that is not {"text": ...}', async () => {
    const t = newTenant();
    await install(t);
    expect((await post(t, '/api/notes', JSON.stringify({ text: '' }))).status).toBe(400);
    expect((await post(t, '/api/notes', 'nope')).status).toBe(400);
  });

  it('accepts a context-qsh token on the context API only', async () => {
    const t = newTenant();
    await install(t);
    const now = Math.floor(Date.now() / 1000);
    const token = encodeSymmetric({ iss: t.clientKey, iat: now, exp: now + 60, qsh: 'context-qsh' }, t.sharedSecret);
    expect((await app().request('/api/notes', { headers: { authorization: `JWT ${token}` } })).status).toBe(200);
    expect((await app().request('/pages/notes', { headers: { authorization: `JWT ${token}` } })).status).toBe(401);
  });
});

describe('every response carries the security headers', () => {
  it.each([
    ['a refusal', '/api/notes', {}],
    ['an unknown path', '/nowhere', {}],
    ['a body over the limit', '/api/notes', { method: 'POST', body: 'x'.repeat(70_000) }],
  ])('on %s', async (_what, path, init) => {
    const res = await app().request(path, init);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(headerProblems(res.headers)).toEqual([]);
  });

  it('on an internal error, which reveals nothing', async () => {
    const broken = createApp({
      app: notes,
      realm: 'EU',
      appKey: APP_KEY,
      store: { ...store, dataFor: () => { throw new Error('database password is hunter2'); } } as unknown as DynamoTenantStore,
      log: (e) => logs.push(e),
      authenticate: async () => ({ clientKey: 'x' }),
    });
    const res = await broken.request('/api/notes');
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('{"error":"internal error"}');
    expect(headerProblems(res.headers)).toEqual([]);
  });

  it('logs the reason of a refusal but never the token', async () => {
    const t = newTenant();
    const token = connectToken(t, 'GET', '/api/notes');
    logs.length = 0;
    await app().request('/api/notes', { headers: { authorization: `JWT ${token}` } });
    expect(logs).toEqual([expect.objectContaining({ event: 'refused', status: 401 })]);
    expect(JSON.stringify(logs)).not.toContain(token.split('.')[2]);
  });
});

describe('behind API Gateway (gateway authentication)', () => {
  const event = (authorizer: Record<string, string> | null) => ({
    httpMethod: 'GET',
    path: '/api/notes',
    resource: '/api/notes',
    headers: { host: 'eu.app.example.com' },
    multiValueHeaders: { host: ['eu.app.example.com'] },
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    body: null,
    isBase64Encoded: false,
    requestContext: { authorizer, path: '/api/notes', httpMethod: 'GET', requestId: 'r', stage: 'prod', identity: {} },
  });
  const lambda = () => {
    const h = handle(createApp({ app: notes, realm: 'EU', appKey: APP_KEY, store, log: (e) => logs.push(e), authenticate: gatewayAuthentication() }));
    return async (e: unknown): Promise<APIGatewayProxyResult> => (await h(e as never, {} as never)) as APIGatewayProxyResult;
  };
  // REST (v1) proxy results carry headers in multiValueHeaders.
  const flat = (r: APIGatewayProxyResult) =>
    Object.fromEntries(Object.entries(r.multiValueHeaders ?? {}).map(([k, v]) => [k, String(v[0])]));

  it("serves the tenant named by the authorizer's context", async () => {
    const t = newTenant();
    await install(t);
    await post(t, '/api/notes', JSON.stringify({ text: 'via gateway' }));
    const res = await lambda()(event({ clientKey: t.clientKey, principalId: t.clientKey }));
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body).notes[0].text).toBe('via gateway');
    expect(headerProblems({ ...flat(res), ...(res.headers as Record<string, string>) })).toEqual([]);
  });

  it('refuses a request without an authorizer context rather than trusting it', async () => {
    const res = await lambda()(event(null));
    expect(res.statusCode).toBe(401);
  });
});
