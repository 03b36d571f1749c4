import { randomBytes } from 'node:crypto';
import { installedBody } from '../../../dev/dev-client';
import { LocalTable, startLocalTable } from '../../../dev/local-table';
import { LocalKeySource } from '../../../runtime/crypto';
import { InMemoryDirectory } from '../../../runtime/directory/in-memory-directory';
import { TenantDirectory } from '../../../runtime/directory/tenant-directory';
import { runLifecycleHook } from '../../../runtime/lifecycle';
import { DynamoTenantStore } from '../../../runtime/tenants';

const APP_KEY = 'com.example.residency-demo';
let table: LocalTable;
let store: DynamoTenantStore;
beforeAll(async () => {
  table = await startLocalTable();
  store = new DynamoTenantStore({ client: table.client, tableName: table.tableName, keySource: LocalKeySource.random(), app: APP_KEY, realm: 'EU' });
});
afterAll(() => table.close());

const tenant = () => ({ clientKey: `ck-${randomBytes(6).toString('hex')}`, sharedSecret: randomBytes(32).toString('base64url'), baseUrl: `https://${randomBytes(4).toString('hex')}.atlassian.net` });
const uninstalledBody = (clientKey: string) => JSON.stringify({ key: APP_KEY, clientKey, eventType: 'uninstalled' });

describe('lifecycle hooks and the tenant directory', () => {
  it('records the tenant in this realm on installed, and forgets it on uninstalled', async () => {
    const directory = new InMemoryDirectory();
    const t = tenant();
    await runLifecycleHook('installed', { appKey: APP_KEY, store, signedBy: t.clientKey, body: installedBody(APP_KEY, t), directory: { directory, realm: 'EU' } });
    expect(await directory.realmOf(t.clientKey)).toBe('EU');
    await runLifecycleHook('uninstalled', { appKey: APP_KEY, store, signedBy: t.clientKey, body: uninstalledBody(t.clientKey), directory: { directory, realm: 'EU' } });
    expect(await directory.realmOf(t.clientKey)).toBeUndefined();
    expect(directory.size).toBe(0);
  });

  it('leaves the directory alone when an install is refused', async () => {
    const directory = new InMemoryDirectory();
    const t = tenant();
    await expect(
      runLifecycleHook('installed', { appKey: APP_KEY, store, signedBy: 'someone-else', body: installedBody(APP_KEY, t), directory: { directory, realm: 'EU' } }),
    ).rejects.toThrow('lifecycle body clientKey is not the token issuer');
    expect(directory.size).toBe(0);
  });

  it('fails the hook when the directory write fails, and the redelivered event records it', async () => {
    const directory = new InMemoryDirectory();
    let down = true;
    const flaky: TenantDirectory = {
      setRealm: async (id, realm) => {
        if (down) throw new Error('KeyValueStore unavailable');
        await directory.setRealm(id, realm);
      },
      remove: (id) => directory.remove(id),
      realmOf: (id) => directory.realmOf(id),
    };
    const t = tenant();
    const input = { appKey: APP_KEY, store, signedBy: t.clientKey, body: installedBody(APP_KEY, t), directory: { directory: flaky, realm: 'EU' } };
    await expect(runLifecycleHook('installed', input)).rejects.toThrow('KeyValueStore unavailable');
    down = false;
    await runLifecycleHook('installed', input);
    expect(await directory.realmOf(t.clientKey)).toBe('EU');
    expect(await store.sharedSecret(t.clientKey)).toBe(t.sharedSecret);
  });

  it('keeps the entry of a tenant this realm does not hold, as after a migration away, on a late uninstall', async () => {
    const directory = new InMemoryDirectory();
    const t = tenant();
    await directory.setRealm(t.clientKey, 'AU'); // recorded by the realm it moved to
    await runLifecycleHook('uninstalled', { appKey: APP_KEY, store, signedBy: t.clientKey, body: uninstalledBody(t.clientKey), directory: { directory, realm: 'EU' } });
    expect(await directory.realmOf(t.clientKey)).toBe('AU');
  });

  it('records the tenant before storing it, so a failed store write leaves a tenant that a retried install completes', async () => {
    const directory = new InMemoryDirectory();
    const t = tenant();
    const failing = Object.create(store, { install: { value: async () => { throw new Error('DynamoDB unavailable'); } } });
    const input = { appKey: APP_KEY, signedBy: t.clientKey, body: installedBody(APP_KEY, t), directory: { directory, realm: 'EU' } };
    await expect(runLifecycleHook('installed', { ...input, store: failing })).rejects.toThrow('DynamoDB unavailable');
    expect(await directory.realmOf(t.clientKey)).toBe('EU');
    expect(await store.sharedSecret(t.clientKey)).toBeUndefined();
    await runLifecycleHook('installed', { ...input, store });
    expect(await store.sharedSecret(t.clientKey)).toBe(t.sharedSecret);
  });

  it('works without a directory, as before', async () => {
    const t = tenant();
    await runLifecycleHook('installed', { appKey: APP_KEY, store, signedBy: t.clientKey, body: installedBody(APP_KEY, t) });
    expect(await store.sharedSecret(t.clientKey)).toBe(t.sharedSecret);
  });
});
