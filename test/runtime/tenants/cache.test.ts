import { DynamoTenantStore } from '../../../runtime/tenants';
import { payload, StoreFixture } from './store-fixture';

const TENANTS = Array.from({ length: 100 }, (_, i) => `t${String(i).padStart(3, '0')}`);

describe('DynamoTenantStore caching', () => {
  let fx: StoreFixture;
  beforeAll(async () => {
    fx = await StoreFixture.start();
    const installer = fx.store();
    for (const name of TENANTS) {
      await installer.install(payload(name));
      await installer.dataFor(`client-${name}`).put('profile', { name });
    }
  });
  afterAll(() => fx.close());

  it('makes no KMS call for 1,000 secret and data reads over 100 tenants after warm-up', async () => {
    const store = fx.store();
    fx.kms.resetCounts();
    for (const name of TENANTS) await store.sharedSecret(`client-${name}`);
    expect(fx.kms.calls.decrypt).toBe(100);
    fx.kms.resetCounts();
    for (let i = 0; i < 1000; i++) {
      const name = TENANTS[(i * 37) % TENANTS.length]!;
      expect(await store.sharedSecret(`client-${name}`)).toBe(payload(name).sharedSecret);
      expect((await store.dataFor(`client-${name}`).get('profile'))?.value).toEqual({ name });
    }
    expect(fx.kms.total).toBe(0);
  });

  it('unwraps a tenant’s key once for a burst of concurrent cold reads', async () => {
    const store = fx.store();
    fx.kms.resetCounts();
    await Promise.all(Array.from({ length: 20 }, () => store.dataFor('client-t001').get('profile')));
    expect(fx.kms.calls.decrypt).toBe(1);
  });

  it('reads the key again once the cache TTL has passed', async () => {
    const store: DynamoTenantStore = fx.store({ cache: { ttlMs: 60_000 } });
    await store.sharedSecret('client-t002');
    fx.kms.resetCounts();
    fx.clock.advance(59_000);
    await store.sharedSecret('client-t002');
    expect(fx.kms.calls.decrypt).toBe(0);
    fx.clock.advance(2_000);
    expect(await store.sharedSecret('client-t002')).toBe(payload('t002').sharedSecret);
    expect(fx.kms.calls.decrypt).toBe(1);
  });

  it('holds at most cache.max tenants', async () => {
    const store = fx.store({ cache: { max: 10 } });
    for (const name of TENANTS.slice(0, 20)) await store.sharedSecret(`client-${name}`);
    fx.kms.resetCounts();
    await store.sharedSecret('client-t000');
    expect(fx.kms.calls.decrypt).toBe(1);
    await store.sharedSecret('client-t019');
    expect(fx.kms.calls.decrypt).toBe(1);
  });

  it('drops a tenant’s cached secret when it reinstalls or uninstalls in this process', async () => {
    const store = fx.store();
    expect(await store.sharedSecret('client-t003')).toBe(payload('t003').sharedSecret);
    await store.install(payload('t003', { sharedSecret: 'rotated-t003-secret-00000000' }));
    expect(await store.sharedSecret('client-t003')).toBe('rotated-t003-secret-00000000');
    await store.uninstall('client-t003');
    expect(await store.sharedSecret('client-t003')).toBeUndefined();
  });

  it('refuses cache bounds that are not positive', () => {
    expect(() => fx.store({ cache: { ttlMs: 0 } })).toThrow(/ttlMs > 0/);
    expect(() => fx.store({ cache: { max: 0 } })).toThrow(/integer max >= 1/);
  });
});
