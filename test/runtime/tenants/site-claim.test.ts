import { TenantConflictError } from '../../../runtime/tenants';
import { DAY, payload, StoreFixture } from './store-fixture';

// A signed install decides its own body: an installationId it makes up must not open a site another clientKey holds.
describe('the site claim beside the installation id', () => {
  let fx: StoreFixture;
  beforeAll(async () => {
    fx = await StoreFixture.start();
  });
  afterAll(() => fx.close());

  it('refuses a signed install that adds a made-up installationId to claim a site held by another clientKey, changing nothing', async () => {
    const store = fx.store();
    await store.install(payload('foxtrot'));
    const before = await fx.scan();
    const intruder = payload('foxtrot', { clientKey: 'client-intruder', sharedSecret: 'intruder-secret-0000000000', installationId: 'made-up-installation' });
    await expect(store.install(intruder)).rejects.toThrow(TenantConflictError);
    expect(await fx.scan()).toEqual(before);
    expect(await store.get('client-intruder')).toBeUndefined();
    expect(await store.sharedSecret('client-foxtrot')).toBe(payload('foxtrot').sharedSecret);
  });

  it('refuses a made-up installationId on a site held by a tenant that sent a real one', async () => {
    const store = fx.store();
    await store.install(payload('golf', { installationId: 'ari:cloud:ecosystem::installation/golf' }));
    const before = await fx.scan();
    await expect(store.install(payload('golf', { clientKey: 'client-golf-2', installationId: 'another-id' }))).rejects.toThrow(TenantConflictError);
    expect(await fx.scan()).toEqual(before);
  });

  it('lets the holder reinstall with an installation id added, and gives the site up when the holder is shredded', async () => {
    const store = fx.store();
    await store.install(payload('hotel'));
    await store.install(payload('hotel', { installationId: 'ari:cloud:ecosystem::installation/hotel' }));
    expect((await store.get('client-hotel'))?.installationId).toBe('ari:cloud:ecosystem::installation/hotel');
    await store.uninstall('client-hotel');
    await store.shred('client-hotel');
    await expect(store.install(payload('hotel', { clientKey: 'client-hotel-new', installationId: 'new-id' }))).resolves.toMatchObject({ clientKey: 'client-hotel-new' });
  });

  it('lets another clientKey take the site once the holder is past its grace period', async () => {
    const store = fx.store({ shredAfterDays: 1 });
    await store.install(payload('india', { installationId: 'id-india' }));
    await store.uninstall('client-india');
    await expect(store.install(payload('india', { clientKey: 'client-india-2', installationId: 'id-india-2' }))).rejects.toThrow(TenantConflictError);
    fx.clock.advance(DAY + 1000);
    await expect(store.install(payload('india', { clientKey: 'client-india-2', installationId: 'id-india-2' }))).resolves.toMatchObject({ clientKey: 'client-india-2' });
  });
});
