import { connectToken } from '../../dev/dev-client';
import { LocalKeySource } from '../../runtime/crypto';
import { InMemoryDirectory } from '../../runtime/directory';
import { DynamoTenantStore } from '../../runtime/tenants';
import { LocalTable, startLocalTable } from '../../dev/local-table';
import { FORGE_LIFECYCLE_MODULE_KEY, FORGE_LIFECYCLE_PATH, LogEntry, ResidentApp, createApp, defineApp, routeSpecs } from '../../runtime/app';
import tasks, { TASKS_MODULE } from '../../examples/forge-tasks/app';
import { FORGE_API_BASE_URL, FORGE_APP_ID, ForgeSigner, forgeSigner, forgeTestAuthentication } from '../runtime/app/forge-tokens';

// The forge-tasks example hosted as a Forge remote: installations arrive through the lifecycle
// trigger, calls carry invocation tokens signed by a local stand-in of Forge's key set.
const APP_KEY = 'com.example.forge-tasks';
let table: LocalTable;
let store: DynamoTenantStore;
let signer: ForgeSigner;
const directory = new InMemoryDirectory();
const logs: LogEntry[] = [];
let n = 0;

beforeAll(async () => {
  [table, signer] = await Promise.all([startLocalTable(), forgeSigner()]);
  store = new DynamoTenantStore({ client: table.client, tableName: table.tableName, keySource: LocalKeySource.random(), app: APP_KEY, realm: 'EU' });
});
afterAll(() => table.close());

const host = (app: ResidentApp = tasks) =>
  createApp({
    app,
    realm: 'EU',
    appKey: APP_KEY,
    store,
    directory: { directory, realm: 'EU' },
    routes: routeSpecs(app, { forgeRemote: true }),
    log: (e) => logs.push(e),
    authenticate: forgeTestAuthentication((k) => store.sharedSecret(k), signer),
  });

const newInstallation = () => `ari:cloud:ecosystem::installation/00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;

async function lifecycle(installationId: string, eventType: string, o: { module?: string; id?: string; app?: ResidentApp } = {}) {
  const token = await signer.token(installationId, { module: o.module ?? FORGE_LIFECYCLE_MODULE_KEY });
  return host(o.app).request(FORGE_LIFECYCLE_PATH, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ eventType, id: o.id ?? installationId, app: { id: FORGE_APP_ID, version: '1' } }),
  });
}

async function callTasks(installationId: string, method: 'GET' | 'POST', body?: object, o: { module?: string; principal?: string; app?: ResidentApp } = {}) {
  const token = await signer.token(installationId, { module: o.module ?? TASKS_MODULE, principal: o.principal ?? 'account-7' });
  return host(o.app).request('/tasks', {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-forge-oauth-user': 'user-token' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
}

describe('examples/forge-tasks as a Forge remote', () => {
  it('registers an installation through the lifecycle trigger, idempotently, and serves its tasks', async () => {
    const id = newInstallation();
    expect((await callTasks(id, 'GET')).status).toBe(401);
    for (let i = 0; i < 2; i++) {
      const res = await lifecycle(id, 'avi:forge:installed:app');
      expect([res.status, res.headers.get('content-type'), await res.json()]).toEqual([200, 'application/json', {}]);
    }
    expect(await store.get(id)).toMatchObject({ clientKey: id, installationId: id, baseUrl: FORGE_API_BASE_URL, state: 'installed' });
    expect(await directory.realmOf(id)).toBe('EU');
    const created = await callTasks(id, 'POST', { title: 'Ship it' });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ title: 'Ship it', createdBy: 'account-7', site: FORGE_API_BASE_URL });
    const listed = (await (await callTasks(id, "GET")).json()) as { tasks: { title: string }[] };
    expect(listed.tasks.map((t: { title: string }) => t.title)).toEqual(['Ship it']);
  });

  it("keeps each installation's tasks to itself", async () => {
    const [a, b] = [newInstallation(), newInstallation()];
    await lifecycle(a, 'avi:forge:installed:app');
    await lifecycle(b, 'avi:forge:installed:app');
    await callTasks(a, 'POST', { title: 'only a' });
    expect(((await (await callTasks(b, "GET")).json()) as { tasks: unknown[] }).tasks).toEqual([]);
  });

  it('refuses a token of another module on the task routes and on the lifecycle route, logging why', async () => {
    const id = newInstallation();
    await lifecycle(id, 'avi:forge:installed:app');
    logs.length = 0;
    expect((await callTasks(id, 'GET', undefined, { module: 'some-panel' })).status).toBe(401);
    expect((await lifecycle(id, 'avi:forge:uninstalled:app', { module: TASKS_MODULE })).status).toBe(401);
    expect(logs.map((l) => l.reason)).toEqual(['module "some-panel" may not call this route', 'module "tasks-resolver" may not call this route']);
    expect((await store.get(id))?.state).toBe('installed');
  });

  it('refuses a lifecycle body naming another installation or another event', async () => {
    const id = newInstallation();
    expect((await lifecycle(id, 'avi:forge:installed:app', { id: newInstallation() })).status).toBe(400);
    expect((await lifecycle(id, 'avi:jira:created:issue')).status).toBe(400);
    expect(await store.get(id)).toBeUndefined();
  });

  it('refuses a valid token for an unknown installation unless the app registers on first call', async () => {
    const id = newInstallation();
    logs.length = 0;
    expect((await callTasks(id, 'POST', { title: 'x' })).status).toBe(401);
    expect(logs.map((l) => l.reason)).toEqual(['Forge installation not registered in this realm (no installed event)']);
    expect(await store.get(id)).toBeUndefined();
    const eager = defineApp({ routes: tasks.routes, forge: { registerOnFirstCall: true } });
    expect((await callTasks(id, 'POST', { title: 'x' }, { app: eager })).status).toBe(201);
    expect(await store.get(id)).toMatchObject({ state: 'installed', baseUrl: FORGE_API_BASE_URL });
  });

  it('upgraded registers an installation whose installed event was lost', async () => {
    const id = newInstallation();
    expect((await lifecycle(id, 'avi:forge:upgraded:app')).status).toBe(200);
    expect((await store.get(id))?.state).toBe('installed');
  });

  it('uninstalled starts the grace period before the crypto-shred, and refuses later calls', async () => {
    const id = newInstallation();
    await lifecycle(id, 'avi:forge:installed:app');
    await callTasks(id, 'POST', { title: 'to be shredded' });
    for (let i = 0; i < 2; i++) expect((await lifecycle(id, 'avi:forge:uninstalled:app')).status).toBe(200);
    const tenant = await store.get(id);
    expect(tenant?.state).toBe('uninstalled');
    expect(tenant?.shredAfter).toBeDefined();
    expect(await directory.realmOf(id)).toBeUndefined();
    expect((await callTasks(id, 'GET')).status).toBe(401);
    await store.shred(id);
    await expect(store.dataFor(id).list('task:')).rejects.toThrow(/no data key/);
  });

  it('sees an uninstall and a re-install at once on a warm instance that remembers the installation', async () => {
    const id = newInstallation();
    await lifecycle(id, 'avi:forge:installed:app');
    expect((await callTasks(id, 'GET')).status).toBe(200); // the instance now remembers which tenant the installation is
    await lifecycle(id, 'avi:forge:uninstalled:app');
    expect((await callTasks(id, 'GET')).status).toBe(401);
    await lifecycle(id, 'avi:forge:installed:app');
    expect((await callTasks(id, 'GET')).status).toBe(200);
  });

  it('rejects forgeTokens on a Connect route and unknown token names at definition', () => {
    const handler = () => undefined;
    expect(() => defineApp({ routes: [{ method: 'GET', path: '/x', auth: 'connect', forgeTokens: { appUserToken: true }, handler }] })).toThrow(/forgeTokens but has auth 'connect'/);
    expect(() => defineApp({ routes: [{ method: 'GET', path: '/x', auth: 'forge', forgeTokens: { appUserTokens: true } as never, handler }] })).toThrow(/expected \{ appSystemToken\?: boolean/);
    expect(() => defineApp({ routes: [], forge: { registerOnFirstCall: 'yes' as never } })).toThrow(/forge.registerOnFirstCall is "yes"/);
  });
});

describe('a Connect-on-Forge installation', () => {
  // One installation known by its Connect clientKey and its Forge installation id, mapped in the realm's table.
  const both = defineApp({
    routes: [
      ...tasks.routes,
      { method: 'GET', path: '/connect/tasks', auth: 'connect', handler: async (_req, tenant) => ({ id: tenant.id, tasks: (await tenant.data.list('task:')).items.map((i) => (i.value as { title: string }).title) }) },
    ],
  });

  it('reaches the same tenant data from Connect JWT routes and Forge routes', async () => {
    const installationId = newInstallation();
    const tenant = { clientKey: `ck-${n}`, sharedSecret: 'a-connect-shared-secret-0123456789', baseUrl: `https://site-${n}.atlassian.net` };
    await store.install({ ...tenant, installationId });
    // Forge's own installed event for the same installation adds no second tenant.
    expect((await lifecycle(installationId, 'avi:forge:installed:app', { app: both })).status).toBe(200);
    expect(await store.get(installationId)).toBeUndefined();
    expect((await callTasks(installationId, 'POST', { title: 'from Forge' }, { app: both })).status).toBe(201);
    const res = await host(both).request('/connect/tasks', { headers: { authorization: `JWT ${connectToken(tenant, 'GET', '/connect/tasks')}` } });
    expect(await res.json()).toEqual({ id: tenant.clientKey, tasks: ['from Forge'] });
  });
});
