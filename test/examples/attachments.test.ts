import attachments from '../../examples/attachments/app';
import { routeSpecs } from '../../runtime/app';
import { tenantObjectPrefix } from '../../runtime/migration';
import { TenantKeyUnavailableError } from '../../runtime/tenants';
import { pollUntilSettled } from '../runtime/migration/drive';
import { TARGET, TwoRealms, payload, request } from '../runtime/migration/two-realms';
import { allItems } from '../helpers/all-items';
import { call, devTenant, hostApp, testSigner } from '../helpers/hosted-app';

let realms: TwoRealms;
beforeAll(async () => {
  realms = await TwoRealms.start();
});
afterAll(() => realms.close());

const host = () => hostApp(attachments, realms.source.store, { objects: realms.source.objects, signer: testSigner() });

async function installed(name: string) {
  const p = payload(name);
  await realms.source.store.install(p);
  await realms.directory.setRealm(p.clientKey, 'Global');
  return devTenant(p);
}

describe('the attachments example', () => {
  it('serves its web panel and webhook from connect routes, and API Gateway resources for its path parameters', () => {
    const specs = routeSpecs(attachments).filter((r) => !r.path.startsWith('/lifecycle') && !r.path.startsWith('/migration'));
    expect(specs.map((r) => `${r.method} ${r.path} ${r.auth}`)).toContain('POST /webhooks/issue-deleted connect');
    expect(attachments.connect.modules['webPanels']).toEqual([expect.objectContaining({ url: '/panels/attachments?issueKey={issue.key}' })]);
  });

  it("writes a text file under the tenant's prefix with its content type, and lists it with a 5-minute download URL", async () => {
    const t = await installed('att-a');
    const app = host();
    const res = await call(app, t, 'POST', '/api/issues/ABC-1/texts', { name: 'readme.txt', text: 'hello' });
    expect(res.status).toBe(201);
    const { attachment } = (await res.json()) as { attachment: { id: string } };
    const key = `${tenantObjectPrefix(t.clientKey)}issues/ABC-1/${attachment.id}`;
    expect(await realms.source.objects.get(key)).toEqual({ body: new Uint8Array(Buffer.from('hello')), contentType: 'text/plain; charset=utf-8' });
    const listed = (await (await call(app, t, 'GET', '/api/issues/ABC-1/attachments')).json()) as { attachments: { name: string; url: string }[] };
    const url = new URL(listed.attachments[0]!.url);
    expect(listed.attachments.map((a) => a.name)).toEqual(['readme.txt']);
    expect(url.pathname).toBe(`/${key.split('/').map(encodeURIComponent).join('/')}`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.hostname).toBe('realm-eu-data.s3.eu-central-1.amazonaws.com');
  });

  it('hands out a presigned PUT bound to the declared content type, valid for 10 minutes', async () => {
    const t = await installed('att-b');
    const res = await call(host(), t, 'POST', '/api/issues/ABC-2/uploads', { name: 'scan.pdf', contentType: 'application/pdf' });
    expect(res.status).toBe(201);
    const { uploadUrl } = (await res.json()) as { uploadUrl: string };
    const url = new URL(uploadUrl);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('600');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toContain('content-type');
    expect(url.pathname).toContain(encodeURIComponent(t.clientKey));
  });

  it('refuses an issue key that is not one, and a body that fails its zod (classic) schema', async () => {
    const t = await installed('att-c');
    const app = host();
    expect((await call(app, t, 'GET', '/api/issues/..%2F..%2Fother/attachments')).status).toBe(400);
    const bad = await call(app, t, 'POST', '/api/issues/ABC-3/uploads', { name: 'x', contentType: 'not a type' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual(['$.contentType']);
  });

  it('removes an issue’s files and records when Jira posts the issue_deleted webhook', async () => {
    const t = await installed('att-d');
    const app = host();
    for (const name of ['a.txt', 'b.txt']) await call(app, t, 'POST', '/api/issues/DEL-9/texts', { name, text: name });
    await call(app, t, 'POST', '/api/issues/KEEP-1/texts', { name: 'kept.txt', text: 'kept' });
    const res = await call(app, t, 'POST', '/webhooks/issue-deleted', { webhookEvent: 'jira:issue_deleted', issue: { key: 'DEL-9' } });
    expect(res.status).toBe(204);
    expect(realms.source.objects.keys().filter((k) => k.startsWith(tenantObjectPrefix(t.clientKey))).map((k) => k.split('/')[3])).toEqual(['KEEP-1']);
    expect((await allItems(realms.source.store.dataFor(t.clientKey))).map((i) => (i.value as { name: string }).name)).toEqual(['kept.txt']);
  });

  it("moves the items and objects its routes wrote with the tenant's migration, and the target serves them", async () => {
    const t = await installed('att-m');
    await call(host(), t, 'POST', '/api/issues/MIG-1/texts', { name: 'moved.txt', text: 'moved with the tenant' });
    const engine = realms.engine();
    await engine.schedule(t.clientKey, request('m-att'));
    await engine.start(t.clientKey, request('m-att'));
    expect((await pollUntilSettled(engine, realms.clock, t.clientKey, 'm-att')).status).toEqual({ status: 'ready-to-commit' });
    await engine.commit(t.clientKey, 'm-att');
    expect(await realms.directory.realmOf(t.clientKey)).toBe(TARGET);
    const target = hostApp(attachments, realms.freshStore(realms.target), { objects: realms.target.objects, signer: testSigner() });
    const listed = (await (await call(target, t, 'GET', '/api/issues/MIG-1/attachments')).json()) as { attachments: { id: string; name: string }[] };
    expect(listed.attachments.map((a) => a.name)).toEqual(['moved.txt']);
    const object = await realms.target.objects.get(`${tenantObjectPrefix(t.clientKey)}issues/MIG-1/${listed.attachments[0]!.id}`);
    expect(object).toEqual({ body: new Uint8Array(Buffer.from('moved with the tenant')), contentType: 'text/plain; charset=utf-8' });
    // The source was crypto-shredded by the commit.
    await expect(realms.freshStore(realms.source).dataFor(t.clientKey).get('anything')).rejects.toThrow(TenantKeyUnavailableError);
  });

  it("makes the items its routes wrote unreadable once the uninstalled tenant's key is shredded", async () => {
    const t = await installed('att-s');
    await call(host(), t, 'POST', '/api/issues/SH-1/texts', { name: 'secret.txt', text: 'gone after shred' });
    const store = realms.source.store;
    expect(await allItems(store.dataFor(t.clientKey))).toHaveLength(1);
    await store.uninstall(t.clientKey);
    await store.shred(t.clientKey);
    await expect(allItems(realms.freshStore(realms.source).dataFor(t.clientKey))).rejects.toThrow(TenantKeyUnavailableError);
    // The key went first, then the sealed items: only the record is left, its secret sealed under the deleted key.
    const raw = (await realms.tenantItems(realms.source)).filter((i) => (i.pk as { S: string }).S === `TENANT#${t.clientKey}`);
    expect(raw.map((i) => (i.sk as { S: string }).S)).toEqual(['RECORD']);
    expect(JSON.stringify(raw)).not.toContain('gone after shred');
    expect((await call(host(), t, 'GET', '/api/issues/SH-1/attachments')).status).toBe(401);
  });
});
