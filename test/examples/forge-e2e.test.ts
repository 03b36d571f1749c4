import { FORGE_LIFECYCLE_MODULE_KEY, FORGE_LIFECYCLE_PATH, FORGE_MIGRATION_MODULE_KEY, LogEntry, ResidentApp, createApp, defineApp, routeSpecs } from '../../runtime/app';
import { egressHandler } from '../../runtime/atlassian-api';
import { DynamoTenantStore } from '../../runtime/tenants';
import tasks, { TASKS_MODULE, Task } from '../../examples/forge-tasks/app';
import { FORGE_API_BASE_URL, FORGE_APP_ID, ForgeSigner, forgeSigner, forgeTestAuthentication } from '../runtime/app/forge-tokens';
import { ProductStandIn, startProductStandIn } from '../runtime/atlassian-api/product-stand-in';
import { APP, Realm, SOURCE, TARGET, TwoRealms } from '../runtime/migration/two-realms';

// Issue 13's "Done when", end to end: the forge-tasks example installed through Forge's lifecycle
// trigger, called with invocation tokens (a local RSA key set stands in for Forge's), writing
// tenant data, calling the stand-in Jira API through the egress path, migrated to another realm
// (two DynamoDB protocol servers, the realm's MigrationEngine) and crypto-shredded after uninstall.
let realms: TwoRealms;
let signer: ForgeSigner;
let product: ProductStandIn;
const logs: LogEntry[] = [];
const installationId = 'ari:cloud:ecosystem::installation/0e2e0000-0000-4000-8000-000000000001';

beforeAll(async () => {
  [realms, signer, product] = await Promise.all([TwoRealms.start(), forgeSigner(), startProductStandIn()]);
});
afterAll(async () => {
  await product.close();
  await realms.close();
});

/** The realm's app function as Lambda would build it, its egress function in process on the test network. */
const host = (realm: Realm, store: DynamoTenantStore = realm.store, app: ResidentApp = tasks) =>
  createApp({
    app,
    realm: realm.name,
    appKey: APP,
    store,
    routes: routeSpecs(app, { forgeRemote: true }),
    directory: { directory: realms.directory, realm: realm.name },
    ...(realm === realms.source ? { migration: realms.engine() } : {}),
    egress: { send: egressHandler({ testNetwork: product.network, log: () => undefined }) },
    log: (e) => logs.push(e),
    authenticate: forgeTestAuthentication((k) => store.sharedSecret(k), signer),
  });

async function forge(realm: Realm, method: 'GET' | 'POST', path: string, body?: object, o: { module?: string; principal?: string; userToken?: string; apiBaseUrl?: string } = {}) {
  const token = await signer.token(installationId, { module: o.module ?? TASKS_MODULE, ...(o.principal === '' ? {} : { principal: o.principal ?? 'account-7' }), ...(o.apiBaseUrl ? { apiBaseUrl: o.apiBaseUrl } : {}) });
  const res = await host(realm).request(path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(o.userToken === '' ? {} : { 'x-forge-oauth-user': o.userToken ?? 'forge-user-token-1' }) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: res.status === 204 ? undefined : await res.json() };
}
const lifecycle = (realm: Realm, eventType: string) =>
  forge(realm, 'POST', FORGE_LIFECYCLE_PATH, { eventType, id: installationId, app: { id: FORGE_APP_ID, version: '1' } }, { module: FORGE_LIFECYCLE_MODULE_KEY, principal: '', userToken: '' });
const migrationHook = (method: 'GET' | 'POST', hook: string, body?: object) => forge(realms.source, method, `/forge/migration/${hook}`, body, { module: FORGE_MIGRATION_MODULE_KEY, principal: '', userToken: '' });

describe('the forge-tasks example end to end', () => {
  it('installs, writes tenant data, calls Jira through the egress path, migrates and is crypto-shredded after uninstall', async () => {
    // Installed through the lifecycle trigger: a tenant of the source realm, recorded in the directory.
    expect((await lifecycle(realms.source, 'avi:forge:installed:app')).status).toBe(200);
    expect(await realms.source.store.get(installationId)).toMatchObject({ state: 'installed', baseUrl: FORGE_API_BASE_URL });
    expect(await realms.directory.realmOf(installationId)).toBe(SOURCE);

    // A task from a Jira issue: the issue read as the user, at the token's API base URL, through the egress handler.
    product.answer((req, res) => {
      res.writeHead(req.url.includes('/DEMO-2') ? 403 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ key: 'DEMO-1', fields: { summary: 'Fix the login page' } }));
    });
    const created = await forge(realms.source, 'POST', '/tasks/from-issue', { issueKey: 'DEMO-1' });
    expect(created).toMatchObject({ status: 201, json: { title: 'Fix the login page', issueKey: 'DEMO-1', createdBy: 'account-7' } });
    expect(product.received.map((r) => [r.host, r.method, r.url, r.headers.authorization])).toEqual([
      ['api.atlassian.com', 'GET', '/ex/jira/site-cloud-id/rest/api/3/issue/DEMO-1?fields=summary', 'Bearer forge-user-token-1'],
    ]);

    // The product's 403 reaches the caller as 403, and nothing is written.
    expect(await forge(realms.source, 'POST', '/tasks/from-issue', { issueKey: 'DEMO-2' })).toEqual({ status: 403, json: { error: 'forbidden by the product' } });
    // A token naming another API host: the egress path refuses it before any connection.
    product.received.length = 0;
    expect(await forge(realms.source, 'POST', '/tasks/from-issue', { issueKey: 'DEMO-1' }, { apiBaseUrl: 'https://collector.example.com/ex/jira/x' })).toEqual({ status: 502, json: { error: 'Atlassian call failed' } });
    expect(product.received).toEqual([]);
    expect(((await forge(realms.source, 'GET', '/tasks')).json as { tasks: Task[] }).tasks.map((t) => t.title)).toEqual(['Fix the login page']);
    // The OAuth token was used for its call only: never logged.
    expect(JSON.stringify(logs)).not.toContain('forge-user-token-1');

    // Migrated to the target realm through Forge's migration hooks.
    const window = { location: TARGET, migrationId: 'e2e-1', startTime: '2026-11-01T00:00:00Z', endTime: '2026-11-01T01:30:00Z' };
    expect((await migrationHook('POST', 'schedule', window)).status).toBe(204);
    expect((await migrationHook('POST', 'start', window)).status).toBe(204);
    expect(await migrationHook('GET', 'status?migrationId=e2e-1')).toEqual({ status: 200, json: { status: 'ready-to-commit' } });
    expect((await migrationHook('POST', 'commit', { migrationId: 'e2e-1' })).status).toBe(204);
    expect(await realms.directory.realmOf(installationId)).toBe(TARGET);

    // Served from the target realm: its tasks there, and its calls to Jira still go out through the egress path.
    const target = realms.freshStore(realms.target);
    expect(((await forge(realms.target, 'GET', '/tasks')).json as { tasks: Task[] }).tasks.map((t) => t.issueKey)).toEqual(['DEMO-1']);
    expect((await forge(realms.target, 'POST', '/tasks/from-issue', { issueKey: 'DEMO-1' })).status).toBe(201);

    // Uninstalled: the grace period starts; the shred (the data key's TTL) leaves the tasks unreadable.
    expect((await lifecycle(realms.target, 'avi:forge:uninstalled:app')).status).toBe(200);
    expect(await target.get(installationId)).toMatchObject({ state: 'uninstalled', shredAfter: expect.any(String) });
    expect((await forge(realms.target, 'GET', '/tasks')).status).toBe(401);
    await target.shred(installationId);
    await expect(realms.freshStore(realms.target).dataFor(installationId).list('task:')).rejects.toThrow(/no data key/);
  });

  it('hands a route only the OAuth tokens it asks Forge for', async () => {
    const id = 'ari:cloud:ecosystem::installation/0e2e0000-0000-4000-8000-000000000002';
    await realms.source.store.installForge({ installationId: id, baseUrl: FORGE_API_BASE_URL });
    const undeclared = defineApp({ routes: [{ method: 'GET', path: '/me', auth: 'forge', forgeModules: [TASKS_MODULE], handler: async (_req, tenant) => (await tenant.atlassian.asUser().request('/rest/api/3/myself')).json() }] });
    product.received.length = 0;
    logs.length = 0;
    const token = await signer.token(id, { module: TASKS_MODULE, principal: 'account-7' });
    const res = await host(realms.source, realms.source.store, undeclared).request('/me', { headers: { authorization: `Bearer ${token}`, 'x-forge-oauth-user': 'sent-anyway' } });
    expect([res.status, await res.json()]).toEqual([502, { error: 'Atlassian call failed' }]);
    expect(logs).toContainEqual(expect.objectContaining({ failure: 'no-token', reason: expect.stringContaining('set forgeTokens.appUserToken on the route') }));
    expect(product.received).toEqual([]);
  });
});
