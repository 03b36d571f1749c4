import { allItems } from '../../helpers/all-items';
import { TOOLKIT_ROUTES, FORGE_APP_ROUTES, defineApp, createApp } from '../../../runtime/app';
import { connectToken } from '../../../dev/dev-client';
import { APP, SOURCE, TARGET, TwoRealms } from '../migration/two-realms';
import { forgeSigner, ForgeSigner, forgeTestAuthentication } from './forge-tokens';

// A Forge remote serves the same migration engine on FORGE_APP_ROUTES, authenticated by
// Forge Invocation Tokens; the token's installation id finds its tenant in the realm's table
// (here Connect-on-Forge installations: the Connect clientKey holds the installation id).

/** Seeds a Connect tenant that also holds a Forge installation id; returns both ids. */
async function seedOnForge(name: string, items: number, objects = 0) {
  const t = await realms.seed(name, items, objects);
  const installationId = `ari:cloud:ecosystem::installation/${name}`;
  await realms.source.store.install({ clientKey: t.clientKey, sharedSecret: t.sharedSecret, baseUrl: t.baseUrl, installationId });
  return { ...t, installationId };
}

let realms: TwoRealms;
let signer: ForgeSigner;
beforeAll(async () => {
  [realms, signer] = await Promise.all([TwoRealms.start(), forgeSigner()]);
});
afterAll(() => realms.close());

const app = (routes = FORGE_APP_ROUTES) =>
  createApp({
    app: defineApp({ routes: [] }),
    realm: SOURCE,
    appKey: APP,
    store: realms.source.store,
    migration: realms.engine(),
    routes,
    log: () => undefined,
    authenticate: forgeTestAuthentication((k) => realms.source.store.sharedSecret(k), signer),
  });

async function call(installationId: string, method: 'GET' | 'POST', url: string, body?: object, routes = FORGE_APP_ROUTES) {
  const res = await app(routes).request(url, {
    method,
    headers: { authorization: `Bearer ${await signer.token(installationId)}` },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: res.status === 204 ? undefined : await res.json() };
}

describe('migration hooks (Forge)', () => {
  it('migrates an installation through the five hooks with Forge Invocation Tokens', async () => {
    const t = await seedOnForge('forge-e2e', 25, 2);
    const id = t.installationId;
    const body = { location: TARGET, migrationId: 'f-1', startTime: '2026-11-01T00:00:00Z', endTime: '2026-11-01T02:00:00Z' };
    expect((await call(id, 'POST', '/forge/migration/schedule', body)).status).toBe(204);
    expect((await call(id, 'POST', '/forge/migration/start', body)).status).toBe(204);
    expect(await call(id, 'GET', '/forge/migration/status?migrationId=f-1')).toEqual({ status: 200, json: { status: 'ready-to-commit' } });
    expect((await call(id, 'POST', '/forge/migration/commit', { migrationId: 'f-1' })).status).toBe(204);
    // The installation's tenant is the Connect clientKey: its data moved, under that key.
    expect(await allItems(realms.freshStore(realms.target).dataFor(t.clientKey))).toHaveLength(25);
    expect(await realms.directory.realmOf(t.clientKey)).toBe(TARGET);
  });

  it("never acts on another installation's migration", async () => {
    const a = await seedOnForge('forge-a', 1);
    const b = await seedOnForge('forge-b', 1);
    const body = { location: TARGET, migrationId: 'f-a' };
    expect((await call(a.installationId, 'POST', '/forge/migration/schedule', body)).status).toBe(204);
    expect(await call(b.installationId, 'POST', '/forge/migration/rollback', { migrationId: 'f-a' })).toEqual({
      status: 404,
      json: { error: 'no migration with this migrationId was scheduled for this tenant', errorResponseCode: 'E0001' },
    });
    // An installation no tenant of the realm holds is refused before the engine is asked.
    expect((await call('ari:cloud:ecosystem::installation/other', 'POST', '/forge/migration/rollback', { migrationId: 'f-a' })).status).toBe(401);
    expect((await call(a.installationId, 'POST', '/forge/migration/rollback', { migrationId: 'f-a' })).status).toBe(204);
  });

  it('refuses a Connect JWT on the Forge routes and a Forge token on the Connect routes', async () => {
    const t = await realms.seed('forge-cross', 1);
    const connect = await app().request('/forge/migration/schedule', {
      method: 'POST',
      headers: { authorization: `JWT ${connectToken(t, 'POST', '/forge/migration/schedule')}` },
      body: JSON.stringify({ location: TARGET, migrationId: 'x' }),
    });
    expect([connect.status, await connect.json()]).toEqual([401, { error: 'unauthorized' }]);
    const connectApp = await call(t.clientKey, 'POST', '/migration/schedule', { location: TARGET, migrationId: 'x' }, TOOLKIT_ROUTES);
    expect(connectApp).toEqual({ status: 401, json: { error: 'unauthorized' } });
    expect((await realms.scan(realms.source)).filter((i) => JSON.stringify(i).includes('MIGRATION#x'))).toEqual([]);
  });
});
