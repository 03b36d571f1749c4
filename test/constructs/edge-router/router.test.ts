import { createHmac, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { EDGE_CONTENT_PATHS, EDGE_VIEWER_HEADER, edgeRouterCode } from '../../../constructs/edge-router';
import { DIRECTORY_LAYOUT, buildDirectoryImage } from '../../../runtime/directory';
import { loadRouter } from './load-router';

const KEY = 'Q7v2Lm9XcR4tWb8NzK3pYh6JdF1sGa5E0uVoTi2CxMn7BqHk4ZlPw9SeDj3Ry8Ug';
const HOSTS = {
  Global: 'global.app.example.com',
  US: 'us.app.example.com',
  EU: 'eu.app.example.com',
  DE: 'de.app.example.com',
  AU: 'au.app.example.com',
};
const CODE = edgeRouterCode(HOSTS);

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** A Connect JWT as a product sends it: HS256 over header.payload with a shared secret. */
function connectJwt(iss: string, secret = 'shared-secret'): string {
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ iss, iat: 1_700_000_000, exp: 1_700_000_180, qsh: 'context-qsh' })}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}
/** A Forge Invocation Token's shape (RS256; the router never verifies, so the signature is filler). */
function forgeToken(installationId: string, iss = 'forge/invocation-token'): string {
  return `${b64({ alg: 'RS256', kid: 'forge/invocation-token/1' })}.${b64({ iss, aud: 'ari:cloud:ecosystem::app/0a1b', app: { installationId, id: 'ari:cloud:ecosystem::app/0a1b' } })}.c2ln`;
}

const tenants = {
  Global: randomUUID(),
  US: randomUUID(),
  EU: randomUUID(),
  DE: randomUUID(),
  AU: randomUUID(),
  forgeEU: `ari:cloud:ecosystem::installation/${randomUUID()}`,
  // Recorded in JP, a realm this deployment does not serve (a stale or foreign record).
  JP: randomUUID(),
};
const image = buildDirectoryImage(
  [
    ...(['Global', 'US', 'EU', 'DE', 'AU', 'JP'] as const).map((realm) => ({ tenantId: tenants[realm], realm })),
    { tenantId: tenants.forgeEU, realm: 'EU' },
    // Neighbours, so buckets hold more than one record.
    ...Array.from({ length: 2000 }, (_, i) => ({ tenantId: randomUUID(), realm: ['US', 'EU', 'AU'][i % 3]! })),
  ],
  KEY,
);
const directory = new Map<string, string>(JSON.parse(image.json).data.map((e: { key: string; value: string }) => [e.key, e.value]));
directory.set(DIRECTORY_LAYOUT.keyEntry, KEY);

function request(opts: { query?: string; authorization?: string; uri?: string } = {}) {
  return {
    request: {
      method: 'GET',
      uri: opts.uri ?? '/page',
      querystring: opts.query === undefined ? {} : { jwt: { value: opts.query } },
      headers: { host: { value: 'app.example.com' }, ...(opts.authorization === undefined ? {} : { authorization: { value: opts.authorization } }) },
    },
  };
}
async function route(event: unknown, entries: ReadonlyMap<string, string> = directory) {
  const router = loadRouter(CODE, entries);
  const returned = await router.handler(event);
  return { returned, origins: router.originUpdates, reads: router.reads };
}

describe('edge router function', () => {
  const descriptor = EDGE_CONTENT_PATHS.descriptor;
  const asset = `${EDGE_CONTENT_PATHS.staticPrefix}js/page.js`;
  it.each([descriptor, asset])('leaves %s alone, even with an EU tenant\'s token: it reads no directory and switches no origin', async (uri) => {
    for (const event of [request({ uri, query: connectJwt(tenants.EU) }), request({ uri, authorization: `JWT ${connectJwt(tenants.EU)}` })]) {
      const before = JSON.stringify(event.request);
      const { returned, origins, reads } = await route(event);
      expect([origins, reads]).toEqual([[], []]);
      expect(returned).toBe(event.request);
      expect(JSON.stringify(returned)).toBe(before);
    }
  });

  it.each(['/atlassian-connect.json.bak', '/pages/static/x', '/static'])('still routes %s, which is not edge content', async (uri) => {
    expect((await route(request({ uri, query: connectJwt(tenants.EU) }))).origins).toEqual([{ domainName: HOSTS.EU }]);
  });

  it('names the viewer in the edge viewer header, overwriting a value the viewer forged', async () => {
    const event = request({ query: connectJwt(tenants.EU) }) as any;
    event.viewer = { ip: '203.0.113.7' };
    event.request.headers[EDGE_VIEWER_HEADER] = { value: '198.51.100.1' };
    const { returned, origins } = await route(event);
    expect((returned as any).headers[EDGE_VIEWER_HEADER]).toEqual({ value: '203.0.113.7' });
    expect(origins).toEqual([{ domainName: HOSTS.EU }]);
  });

  it('still routes a request whose event names no viewer', async () => {
    const { origins } = await route(request({ query: connectJwt(tenants.AU) }));
    expect(origins).toEqual([{ domainName: HOSTS.AU }]);
  });

  it.each(['US', 'EU', 'DE', 'AU'] as const)('sends a Connect tenant of %s, its jwt in the query, to that realm\'s host', async (realm) => {
    const event = request({ query: connectJwt(tenants[realm]) });
    const { returned, origins } = await route(event);
    expect(origins).toEqual([{ domainName: HOSTS[realm] }]);
    expect(returned).toBe(event.request);
  });

  it('reads the tenant from `Authorization: JWT <token>`', async () => {
    const { origins } = await route(request({ authorization: `JWT ${connectJwt(tenants.DE)}` }));
    expect(origins).toEqual([{ domainName: HOSTS.DE }]);
  });

  it('reads a Forge installation id from the Forge Invocation Token in `Authorization: Bearer`', async () => {
    const { origins } = await route(request({ authorization: `Bearer ${forgeToken(tenants.forgeEU)}` }));
    expect(origins).toEqual([{ domainName: HOSTS.EU }]);
  });

  it('ignores a Bearer token that is not a Forge Invocation Token', async () => {
    const { origins } = await route(request({ authorization: `Bearer ${forgeToken(tenants.forgeEU, 'someone-else')}` }));
    expect(origins).toEqual([]);
  });

  it('leaves a Global tenant on the default origin, which is Global', async () => {
    const { origins, reads } = await route(request({ query: connectJwt(tenants.Global) }));
    expect(reads).toHaveLength(2);
    expect(origins).toEqual([]);
  });

  it('leaves an unknown tenant on Global', async () => {
    const { origins, reads } = await route(request({ query: connectJwt(randomUUID()) }));
    expect(reads).toHaveLength(2);
    expect(origins).toEqual([]);
  });

  it('leaves a tenant recorded in a realm this deployment does not serve on Global', async () => {
    expect((await route(request({ query: connectJwt(tenants.JP) }))).origins).toEqual([]);
  });

  // Each names a tenant of EU somewhere, so a lax reader would route it there.
  it.each([
    ['two segments', `${b64({ alg: 'HS256' })}.${b64({ iss: tenants.EU })}`],
    ['four segments', `${b64({ alg: 'HS256' })}.${b64({ iss: tenants.EU })}.sig.more`],
    ['a payload that is not base64url JSON', `${b64({ iss: tenants.EU })}.%%%%.sig`],
    ['a JSON payload that is not an object', `${b64({})}.${b64(tenants.EU)}.sig`],
    ['a null payload', `${b64({ iss: tenants.EU })}.${b64(null)}.sig`],
    ['an iss that is not a string', `${b64({})}.${b64({ iss: [tenants.EU] })}.sig`],
    ['an empty iss', `${b64({})}.${b64({ iss: '', sub: tenants.EU })}.sig`],
    ['an iss longer than any tenant id', `${b64({})}.${b64({ iss: tenants.EU + ' '.repeat(513) })}.sig`],
  ])('leaves a malformed token (%s) on Global', async (_what, token) => {
    const { origins, returned } = await route(request({ query: token, authorization: `JWT ${token}` }));
    expect(origins).toEqual([]);
    expect(returned).toBeDefined();
  });

  it('does not read an oversized token, even of a known tenant', async () => {
    // Its header and payload intact, only the signature grown past 8 KB.
    const huge = `${connectJwt(tenants.EU)}${'A'.repeat(8200)}`;
    const { origins, reads } = await route(request({ query: huge }));
    expect(reads).toEqual([]);
    expect(origins).toEqual([]);
  });

  it('reads nothing from the directory for a request without a hint, such as the descriptor', async () => {
    const event = { request: { method: 'GET', uri: '/atlassian-connect.json', querystring: {}, headers: {} } };
    const { origins, reads, returned } = await route(event);
    expect(reads).toEqual([]);
    expect(origins).toEqual([]);
    expect(returned).toBe(event.request);
  });

  it('leaves every request on Global while the directory key entry is missing', async () => {
    const withoutKey = new Map(directory);
    withoutKey.delete(DIRECTORY_LAYOUT.keyEntry);
    expect((await route(request({ query: connectJwt(tenants.EU) }), withoutKey)).origins).toEqual([]);
  });

  it('passes the request on unchanged: it never authenticates or strips the token', async () => {
    const token = connectJwt(tenants.AU, 'a-wrong-secret');
    const event = request({ authorization: `JWT ${token}` });
    const before = JSON.stringify(event);
    const { returned, origins } = await route(event);
    expect(origins).toEqual([{ domainName: HOSTS.AU }]);
    expect(JSON.stringify(returned)).toBe(JSON.stringify(JSON.parse(before).request));
  });

  it('never throws, whatever the event holds', async () => {
    await fc.assert(
      fc.asyncProperty(fc.anything(), fc.anything(), fc.anything(), async (query, auth, event) => {
        const router = loadRouter(CODE, directory);
        await router.handler({ request: { querystring: { jwt: query }, headers: { authorization: auth } } });
        await router.handler({ request: { querystring: { jwt: { value: query } }, headers: { authorization: { value: auth } } } });
        await router.handler(event);
        await router.handler(undefined);
        expect(router.originUpdates).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
