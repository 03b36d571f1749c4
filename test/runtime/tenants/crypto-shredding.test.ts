import { allItems } from '../../helpers/all-items';
import { DynamoTenantStore, TenantKeyUnavailableError } from '../../../runtime/tenants';
import { DAY, payload, StoreFixture } from './store-fixture';

describe('DynamoTenantStore crypto-shredding', () => {
  let fx: StoreFixture;
  let store: DynamoTenantStore;
  beforeAll(async () => {
    fx = await StoreFixture.start();
  });
  afterAll(() => fx.close());
  beforeEach(() => {
    store = fx.store();
  });

  it('makes the secret and the data unreadable once the data key is shredded', async () => {
    await store.install(payload('alpha'));
    await store.dataFor('client-alpha').put('profile', { name: 'Alpha' });
    await store.shred('client-alpha');
    expect(await store.sharedSecret('client-alpha')).toBeUndefined();
    await expect(store.dataFor('client-alpha').get('profile')).rejects.toThrow(TenantKeyUnavailableError);
    await expect(allItems(store.dataFor('client-alpha'))).rejects.toThrow(/has no data key: it was never installed, or it was crypto-shredded/);
    await expect(fx.store().dataFor('client-alpha').get('profile')).rejects.toThrow(TenantKeyUnavailableError);
  });

  it('deletes the wrapped key item, then the data items: only the record stays, its secret sealed under a key that is gone', async () => {
    await store.install(payload('bravo'));
    await store.dataFor('client-bravo').put('profile', { name: 'Bravo' });
    await store.shred('client-bravo');
    const items = (await fx.scan()).filter((item) => JSON.stringify(item.pk) === '{"S":"TENANT#client-bravo"}');
    expect(items.map((item) => (item.sk as { S: string }).S).sort()).toEqual(['RECORD']);
  });

  it('treats the key as shredded once the clock passes shredAfter, before DynamoDB TTL has deleted it', async () => {
    await store.install(payload('charlie'));
    await store.dataFor('client-charlie').put('profile', { name: 'Charlie' });
    await store.uninstall('client-charlie');
    expect((await store.dataFor('client-charlie').get('profile'))?.value).toEqual({ name: 'Charlie' });
    fx.clock.advance(30 * DAY + 1000);
    await expect(store.dataFor('client-charlie').get('profile')).rejects.toThrow(TenantKeyUnavailableError);
    await expect(fx.store().dataFor('client-charlie').get('profile')).rejects.toThrow(TenantKeyUnavailableError);
    expect(await fx.store().sharedSecret('client-charlie')).toBeUndefined();
  });

  it('stops serving a key cached in another process at the shred time', async () => {
    await store.install(payload('delta'));
    await store.dataFor('client-delta').put('profile', 1);
    await store.uninstall('client-delta');
    const warm = fx.store({ cache: { ttlMs: 365 * DAY } });
    expect((await warm.dataFor('client-delta').get('profile'))?.value).toBe(1);
    fx.clock.advance(30 * DAY + 1000);
    await expect(warm.dataFor('client-delta').get('profile')).rejects.toThrow(TenantKeyUnavailableError);
  });

  it('starts a shredded tenant that installs again with a new key and none of its old data', async () => {
    await store.install(payload('echo'));
    await store.dataFor('client-echo').put('profile', { name: 'old' });
    await store.uninstall('client-echo');
    fx.clock.advance(31 * DAY);
    fx.kms.resetCounts();
    await store.install(payload('echo', { sharedSecret: 'new-secret-echo-000000000000' }));
    expect(fx.kms.calls.generateDataKey).toBe(1);
    expect(await store.sharedSecret('client-echo')).toBe('new-secret-echo-000000000000');
    expect(await store.dataFor('client-echo').get('profile')).toBeUndefined();
    expect(await allItems(store.dataFor('client-echo'))).toEqual([]);
    const items = (await fx.scan()).filter((item) => JSON.stringify(item.pk) === '{"S":"TENANT#client-echo"}');
    expect(items.map((item) => (item.sk as { S: string }).S).sort()).toEqual(['KEY', 'RECORD']);
  });

  it('gives a tenant that was never installed no data', async () => {
    await expect(store.dataFor('client-never').put('x', 1)).rejects.toThrow(TenantKeyUnavailableError);
    expect(await store.sharedSecret('client-never')).toBeUndefined();
  });
});
