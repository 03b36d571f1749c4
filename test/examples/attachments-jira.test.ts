import { SymmetricAlgorithm, createQueryStringHash, decodeSymmetric, fromMethodAndUrl } from 'atlassian-jwt';
import attachments from '../../examples/attachments/app';
import { egressHandler } from '../../runtime/atlassian-api';
import { call, devTenant, hostApp, testSigner } from '../helpers/hosted-app';
import { ProductStandIn, startProductStandIn } from '../runtime/atlassian-api/product-stand-in';
import { TwoRealms, payload } from '../runtime/migration/two-realms';

// The attachments example calling Jira as a Connect app: the comment goes to the tenant's own
// site through the egress handler, with a JWT that atlassian-jwt verifies and hashes alike.
let realms: TwoRealms;
let product: ProductStandIn;
beforeAll(async () => {
  [realms, product] = await Promise.all([TwoRealms.start(), startProductStandIn()]);
});
afterAll(async () => {
  await product.close();
  await realms.close();
});

const host = () =>
  hostApp(attachments, realms.source.store, { objects: realms.source.objects, signer: testSigner(), egress: { send: egressHandler({ testNetwork: product.network, log: () => undefined }) } });

describe('the attachments example calling Jira', () => {
  it("posts the comment to the tenant's site with a JWT of the tenant's secret and the call's qsh", async () => {
    const p = payload('att-jira');
    await realms.source.store.install(p);
    const t = devTenant(p);
    const app = host();
    const { attachment } = (await (await call(app, t, 'POST', '/api/issues/ABC-1/texts', { name: 'notes.txt', text: 'hi' })).json()) as { attachment: { id: string } };
    product.answer((_req, res) => {
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end('{"id":"10042"}');
    });
    const res = await call(app, t, 'POST', `/api/issues/ABC-1/attachments/${attachment.id}/announce`);
    expect([res.status, await res.json()]).toEqual([201, { commentId: '10042' }]);
    const [sent] = product.received;
    expect([sent!.host, sent!.method, sent!.url]).toEqual([new URL(p.baseUrl).host, 'POST', '/rest/api/3/issue/ABC-1/comment']);
    expect(JSON.parse(sent!.body).body.content[0].content[0].text).toBe('Attached: notes.txt');
    const claims = decodeSymmetric(/^JWT (.+)$/.exec(String(sent!.headers.authorization))![1]!, p.sharedSecret, SymmetricAlgorithm.HS256);
    expect(claims).toMatchObject({ iss: 'com.example.app', qsh: createQueryStringHash(fromMethodAndUrl('POST', sent!.url), false, p.baseUrl) });
    expect(claims.exp - claims.iat).toBe(180);
  });

  it("refuses to call a site that is not an Atlassian host, even the tenant's own record", async () => {
    const p = { ...payload('att-odd'), baseUrl: 'https://jira.example.org' };
    await realms.source.store.install(p);
    const t = devTenant(p);
    const app = host();
    const { attachment } = (await (await call(app, t, 'POST', '/api/issues/ABC-2/texts', { name: 'x.txt', text: 'x' })).json()) as { attachment: { id: string } };
    product.received.length = 0;
    const res = await call(app, t, 'POST', `/api/issues/ABC-2/attachments/${attachment.id}/announce`);
    expect([res.status, await res.json()]).toEqual([502, { error: 'Atlassian call failed' }]);
    expect(product.received).toEqual([]);
  });
});
