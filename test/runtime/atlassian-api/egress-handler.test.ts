import { EgressRequest, egressHandler, isAtlassianApiHost } from '../../../runtime/atlassian-api';
import { ProductStandIn, startProductStandIn } from './product-stand-in';

// The egress function's handler against a local HTTPS stand-in of the product API, reached
// only through the handler's explicit test network (its CA and port).
let product: ProductStandIn;
const logs: Record<string, unknown>[] = [];
let egress: ReturnType<typeof egressHandler>;
const SITE = 'https://acme.atlassian.net';

beforeAll(async () => {
  product = await startProductStandIn();
  egress = egressHandler({ testNetwork: product.network, log: (e) => logs.push(e), deadlineMs: 1500, maxResponseBytes: 64 * 1024 });
});
afterAll(() => product.close());
beforeEach(() => {
  product.received.length = 0;
  logs.length = 0;
  product.answer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'a=b' });
    res.end('{"accountId":"557058:abc"}');
  });
});

const call = (o: Partial<EgressRequest> = {}) => egress({ site: SITE, method: 'GET', url: `${SITE}/rest/api/3/myself`, headers: { authorization: 'JWT secret-token', accept: 'application/json' }, ...o });

describe('egressHandler', () => {
  it("calls the tenant's own site over TLS and hands back status, headers and body (no cookies)", async () => {
    const answer = await call({ method: 'POST', body: Buffer.from('{"x":1}').toString('base64'), headers: { authorization: 'JWT t', 'content-type': 'application/json', host: 'evil.example' } });
    expect(answer).toMatchObject({ status: 200, headers: { 'content-type': 'application/json' } });
    expect('headers' in answer && answer.headers['set-cookie']).toBeFalsy();
    expect('body' in answer && Buffer.from(answer.body, 'base64').toString()).toBe('{"accountId":"557058:abc"}');
    expect(product.received).toEqual([expect.objectContaining({ host: 'acme.atlassian.net', method: 'POST', url: '/rest/api/3/myself', body: '{"x":1}' })]);
    expect(product.received[0]!.headers.authorization).toBe('JWT t');
  });

  it('reaches a Forge API base URL only below its path', async () => {
    const site = 'https://api.atlassian.com/ex/jira/cloud-1';
    expect(await call({ site, url: `${site}/rest/api/3/issue/X-1` })).toMatchObject({ status: 200 });
    expect(await call({ site, url: 'https://api.atlassian.com/ex/jira/cloud-2/rest/api/3/issue/X-1' })).toEqual({ failure: 'refused', reason: expect.stringMatching(/outside the tenant's site/) });
    expect(await call({ site, url: 'https://api.atlassian.com/ex/jira/cloud-10' })).toMatchObject({ failure: 'refused' });
    expect(product.received.map((r) => r.url)).toEqual(['/ex/jira/cloud-1/rest/api/3/issue/X-1']);
  });

  it("refuses another tenant's site, a non-Atlassian host, http, another port and user info, before connecting", async () => {
    const refusals = await Promise.all([
      call({ url: 'https://other.atlassian.net/rest/api/3/myself' }),
      call({ site: 'https://example.com', url: 'https://example.com/rest' }),
      call({ url: 'http://acme.atlassian.net/rest/api/3/myself' }),
      call({ url: 'https://acme.atlassian.net:8443/rest' }),
      call({ url: 'https://user:pw@acme.atlassian.net/rest' }),
      call({ url: 'https://acme.atlassian.net/rest/x%2F..%2Fadmin' }),
      call({ method: 'TRACE' }),
    ]);
    expect(refusals.map((r) => ('failure' in r ? r.reason : r.status))).toEqual([
      "target host other.atlassian.net is not the tenant's site acme.atlassian.net",
      'the tenant site host example.com is not an Atlassian API host (*.atlassian.net, *.jira.com, api.atlassian.com)',
      'the target uses http; only https is allowed',
      'the target names port 8443; only the default https port is allowed',
      'the target carries user info',
      'the target path holds an encoded dot or slash',
      'method "TRACE" is not allowed',
    ]);
    expect(product.received).toEqual([]);
  });

  it('does not follow a redirect: the 3xx comes back as it is', async () => {
    product.answer((_req, res) => {
      res.writeHead(302, { location: 'https://acme.atlassian.net/elsewhere' });
      res.end();
    });
    expect(await call()).toMatchObject({ status: 302, headers: { location: 'https://acme.atlassian.net/elsewhere' } });
    expect(product.received.map((r) => r.url)).toEqual(['/rest/api/3/myself']);
  });

  it('caps the response size and the time', async () => {
    product.answer((_req, res) => {
      res.writeHead(200);
      res.end(Buffer.alloc(65 * 1024));
    });
    expect(await call()).toEqual({ failure: 'too-large', reason: 'response over 65536 bytes' });
    product.answer((_req, res) => {
      res.writeHead(200);
      res.write('partial');
      setTimeout(() => res.end(), 3000).unref();
    });
    expect(await call()).toEqual({ failure: 'timeout', reason: 'no complete answer within 1500 ms' });
  });

  it('trusts only the given CA: a certificate it did not issue is refused', async () => {
    const other = await startProductStandIn();
    try {
      const strict = egressHandler({ testNetwork: { ...other.network, ca: product.network.ca }, log: () => undefined });
      expect(await strict({ site: SITE, method: 'GET', url: `${SITE}/x`, headers: {} })).toMatchObject({ failure: 'unreachable', reason: expect.stringMatching(/^acme.atlassian.net: [A-Z_]+/) });
      expect(other.received).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('logs host, method, status and time, never a path, query, header or body', async () => {
    await call({ url: `${SITE}/rest/api/3/search?jql=secret`, headers: { authorization: 'JWT secret-token' } });
    expect(logs).toEqual([{ event: 'egress', host: 'acme.atlassian.net', method: 'GET', status: 200, ms: expect.any(Number) }]);
    expect(JSON.stringify(logs)).not.toMatch(/secret/);
  });
});

describe('isAtlassianApiHost', () => {
  it.each([
    ['acme.atlassian.net', true],
    ['acme.jira.com', true],
    ['api.atlassian.com', true],
    ['a.b.atlassian.net', false],
    ['atlassian.net', false],
    ['acme.atlassian.net.evil.example', false],
    ['evilatlassian.net', false],
    ['auth.atlassian.com', false],
  ])('%s: %s', (host, allowed) => expect(isAtlassianApiHost(host)).toBe(allowed));
});
