import { SymmetricAlgorithm, createQueryStringHash, decodeSymmetric, fromMethodAndUrl } from 'atlassian-jwt';
import { AtlassianEgressError, AtlassianPermissionError, EgressSender, atlassianApi, egressHandler } from '../../../runtime/atlassian-api';
import { ProductStandIn, startProductStandIn } from './product-stand-in';

// tenant.atlassian over the real egress handler, against the local HTTPS stand-in.
let product: ProductStandIn;
let egress: EgressSender;
const SECRET = 'tenant-shared-secret-0123456789abcdef';
const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);

beforeAll(async () => {
  product = await startProductStandIn();
  const handler = egressHandler({ testNetwork: product.network, log: () => undefined });
  egress = { send: handler };
});
afterAll(() => product.close());
beforeEach(() => {
  product.received.length = 0;
  product.answer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"total":1}');
  });
});

const connect = (site = 'https://acme.atlassian.net') =>
  atlassianApi({ site, egress, now: () => NOW, credentials: { kind: 'connect', appKey: 'com.example.notes', sharedSecret: async () => SECRET } });

describe('tenant.atlassian on Connect', () => {
  it('signs each call with the shared secret: iss the app key, the qsh atlassian-jwt computes for it', async () => {
    const res = await connect().request('/rest/api/3/search?jql=project%20%3D%20X&maxResults=5&fields=a,b');
    expect([res.status, res.ok, res.json()]).toEqual([200, true, { total: 1 }]);
    const [received] = product.received;
    expect(received!.host).toBe('acme.atlassian.net');
    const token = /^JWT (.+)$/.exec(String(received!.headers.authorization))![1]!;
    const claims = decodeSymmetric(token, SECRET, SymmetricAlgorithm.HS256);
    expect(claims).toEqual({ iss: 'com.example.notes', iat: NOW / 1000, exp: NOW / 1000 + 180, qsh: createQueryStringHash(fromMethodAndUrl('GET', received!.url), false, 'https://acme.atlassian.net') });
    expect(() => decodeSymmetric(token, 'another-secret', SymmetricAlgorithm.HS256)).toThrow();
  });

  it("leaves the site's base path out of the qsh (Confluence at /wiki), and sends JSON bodies", async () => {
    const site = 'https://acme.atlassian.net/wiki';
    await connect(site).request('/rest/api/content', { method: 'POST', json: { title: 'T' } });
    const [received] = product.received;
    expect([received!.url, received!.body, received!.headers['content-type']]).toEqual(['/wiki/rest/api/content', '{"title":"T"}', 'application/json']);
    const claims = decodeSymmetric(/^JWT (.+)$/.exec(String(received!.headers.authorization))![1]!, SECRET, SymmetricAlgorithm.HS256);
    expect(claims.qsh).toBe(createQueryStringHash(fromMethodAndUrl('POST', '/wiki/rest/api/content'), false, site));
  });

  it('has no user to act as', async () => {
    await expect(connect().asUser().request('/rest/api/3/myself')).rejects.toMatchObject({ failure: 'no-token' });
  });
});

describe('tenant.atlassian on Forge', () => {
  const site = 'https://api.atlassian.com/ex/jira/cloud-1';
  const forge = (tokens: { systemToken?: string; userToken?: string }) => atlassianApi({ site, egress, credentials: { kind: 'forge', ...tokens } });

  it("calls below the token's API base URL with the app's or the user's token", async () => {
    const api = forge({ systemToken: 'sys-token', userToken: 'user-token' });
    await api.request('/rest/api/3/issue/X-1');
    await api.asUser().request('/rest/api/3/issue/X-1');
    await api.asUser().asApp().request(`${site}/rest/api/3/myself`);
    expect(product.received.map((r) => [r.host, r.url, r.headers.authorization])).toEqual([
      ['api.atlassian.com', '/ex/jira/cloud-1/rest/api/3/issue/X-1', 'Bearer sys-token'],
      ['api.atlassian.com', '/ex/jira/cloud-1/rest/api/3/issue/X-1', 'Bearer user-token'],
      ['api.atlassian.com', '/ex/jira/cloud-1/rest/api/3/myself', 'Bearer sys-token'],
    ]);
  });

  it('says which forgeTokens the route must ask for when the request has no such token', async () => {
    await expect(forge({ userToken: 'u' }).request('/x')).rejects.toThrow(/no x-forge-oauth-system token: set forgeTokens.appSystemToken on the route/);
    await expect(forge({ systemToken: 's' }).asUser().request('/x')).rejects.toThrow(/no x-forge-oauth-user token: set forgeTokens.appUserToken/);
    expect(product.received).toEqual([]);
  });
});

describe('tenant.atlassian answers and refusals', () => {
  it('turns a 403 into AtlassianPermissionError and hands back other statuses', async () => {
    product.answer((req, res) => {
      res.writeHead(req.url.startsWith('/forbidden') ? 403 : 404, { 'content-type': 'application/json' });
      res.end('{"errorMessages":["no"]}');
    });
    const error = await connect().request('/forbidden?x=1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AtlassianPermissionError);
    expect(error).toMatchObject({ status: 403, request: 'GET /forbidden' });
    const missing = await connect().request('/rest/api/3/issue/NOPE-1');
    expect([missing.status, missing.ok]).toEqual([404, false]);
  });

  it('refuses another host, http and a toolkit header before anything is sent', async () => {
    const refused = await Promise.all([
      connect().request('https://other.atlassian.net/rest/api/3/myself'),
      connect().request('http://acme.atlassian.net/rest/api/3/myself'),
      connect().request('https://example.com/'),
      connect().request('/x', { headers: { Authorization: 'Basic abc' } }),
    ].map((p) => p.catch((e: unknown) => e)));
    expect(refused.every((e) => e instanceof AtlassianEgressError && e.failure === 'refused')).toBe(true);
    expect(product.received).toEqual([]);
  });

  it('fails with not-configured on a host without an egress path', async () => {
    const api = atlassianApi({ site: 'https://acme.atlassian.net', credentials: { kind: 'forge', systemToken: 's' } });
    await expect(api.request('/x')).rejects.toMatchObject({ failure: 'not-configured' });
  });
});
