import { DynamoTenantStore, TenantConflictError } from '../../../runtime/tenants';
import { DAY, payload, StoreFixture } from './store-fixture';

describe('DynamoTenantStore lifecycle', () => {
  let fx: StoreFixture;
  let store: DynamoTenantStore;
  beforeAll(async () => {
    fx = await StoreFixture.start();
  });
  afterAll(() => fx.close());
  beforeEach(() => {
    store = fx.store();
  });

  const keyItems = async (clientKey: string) =>
    (await fx.scan()).filter((item) => JSON.stringify(item.pk) === JSON.stringify({ S: `TENANT#${clientKey}` }) && JSON.stringify(item.sk) === '{"S":"KEY"}');

  it('installs a tenant whose shared secret then reads back', async () => {
    const tenant = await store.install(payload('alpha', { displayUrl: 'https://alpha.example.com', installationId: 'ari:cloud:ecosystem::installation/alpha' }));
    expect(tenant).toEqual({
      clientKey: 'client-alpha',
      baseUrl: 'https://alpha.atlassian.net',
      displayUrl: 'https://alpha.example.com',
      productType: 'jira',
      installationId: 'ari:cloud:ecosystem::installation/alpha',
      state: 'installed',
      installedAt: new Date(fx.clock.ms).toISOString(),
    });
    expect(await store.sharedSecret('client-alpha')).toBe(payload('alpha').sharedSecret);
    expect(await fx.store().sharedSecret('client-alpha')).toBe(payload('alpha').sharedSecret);
  });

  it('treats a redelivered install as one tenant with the same data key and one GenerateDataKey', async () => {
    fx.kms.resetCounts();
    const first = await store.install(payload('bravo'));
    const keyBefore = await keyItems('client-bravo');
    fx.clock.advance(1000);
    const again = await fx.store().install(payload('bravo'));
    expect(again).toEqual(first);
    expect(await keyItems('client-bravo')).toEqual(keyBefore);
    expect(fx.kms.calls.generateDataKey).toBe(1);
    const records = (await fx.scan()).filter((item) => JSON.stringify(item.pk) === '{"S":"TENANT#client-bravo"}');
    expect(records.map((item) => (item.sk as { S: string }).S).sort()).toEqual(['KEY', 'RECORD']);
    expect(await store.sharedSecret('client-bravo')).toBe(payload('bravo').sharedSecret);
  });

  it('replaces the shared secret when a reinstall brings a new one', async () => {
    await store.install(payload('charlie'));
    await store.install(payload('charlie', { sharedSecret: 'rotated-secret-charlie-987654321' }));
    expect(await store.sharedSecret('client-charlie')).toBe('rotated-secret-charlie-987654321');
    expect(await fx.store().sharedSecret('client-charlie')).toBe('rotated-secret-charlie-987654321');
  });

  it('refuses another clientKey that claims an installed site and product, leaving the first tenant untouched', async () => {
    await store.install(payload('delta'));
    const before = await fx.scan();
    const intruder = payload('delta', { clientKey: 'client-intruder', sharedSecret: 'intruder-secret-0000000000' });
    await expect(store.install(intruder)).rejects.toThrow(TenantConflictError);
    await expect(store.install({ ...intruder, baseUrl: 'https://DELTA.atlassian.net/' })).rejects.toThrow(TenantConflictError);
    expect(await fx.scan()).toEqual(before);
    expect(await store.get('client-intruder')).toBeUndefined();
    expect(await store.sharedSecret('client-delta')).toBe(payload('delta').sharedSecret);
  });

  it('refuses another clientKey that claims a held installation id', async () => {
    await store.install(payload('echo', { installationId: 'ari:cloud:ecosystem::installation/echo' }));
    const other = payload('echo-copy', { clientKey: 'client-echo-2', installationId: 'ari:cloud:ecosystem::installation/echo' });
    await expect(store.install(other)).rejects.toThrow(/installation id:ari:cloud:ecosystem::installation\/echo is held by another clientKey/);
  });

  it('lets the same site install another product under another clientKey', async () => {
    await store.install(payload('foxtrot'));
    await expect(store.install(payload('foxtrot', { clientKey: 'client-foxtrot-wiki', productType: 'confluence', baseUrl: 'https://foxtrot.atlassian.net/wiki' }))).resolves.toMatchObject({
      state: 'installed',
    });
  });

  it('keeps the shared secret out of the table in plaintext and out of get()', async () => {
    const secret = 'very-distinctive-shared-secret-XYZZY-42';
    await store.install(payload('golf', { sharedSecret: secret }));
    const raw = JSON.stringify(await fx.scan(), (_, value) => (value instanceof Uint8Array ? Buffer.from(value).toString('latin1') : value));
    expect(raw).not.toContain(secret);
    expect(raw).not.toContain(Buffer.from(secret).toString('base64'));
    expect(raw).not.toContain(Buffer.from(secret).toString('base64url'));
    const tenant = await store.get('client-golf');
    expect(JSON.stringify(tenant)).not.toContain(secret);
    expect(Object.keys(tenant ?? {})).not.toContain('sharedSecret');
  });

  it('never puts the shared secret in an error message', async () => {
    const secret = 'secret-that-must-not-leak-0987';
    await expect(store.install({ ...payload('hotel', { sharedSecret: secret }), baseUrl: 'not a url' })).rejects.toThrow(/baseUrl/);
    await expect(store.install({ ...payload('hotel', { sharedSecret: secret }), baseUrl: 'not a url' })).rejects.not.toThrow(secret);
  });

  it('refuses a malformed clientKey with a clear error', async () => {
    await expect(store.install(payload('x', { clientKey: '' }))).rejects.toThrow(/clientKey must be 1 to 512 UTF-8 bytes/);
    await expect(store.sharedSecret('bad\nkey')).rejects.toThrow(/without control characters/);
  });

  it('marks an uninstalled tenant with its shred time, after which its shared secret is gone', async () => {
    await store.install(payload('india'));
    fx.clock.advance(DAY);
    await store.uninstall('client-india');
    const tenant = await store.get('client-india');
    expect(tenant).toMatchObject({
      state: 'uninstalled',
      uninstalledAt: new Date(fx.clock.ms).toISOString(),
      shredAfter: new Date(fx.clock.ms + 30 * DAY).toISOString(),
    });
    expect(await store.sharedSecret('client-india')).toBeUndefined();
    expect(await fx.store().sharedSecret('client-india')).toBeUndefined();
  });

  it('gives the wrapped key item a DynamoDB TTL (epoch seconds) at the shred time', async () => {
    await store.install(payload('juliet'));
    await store.uninstall('client-juliet');
    const [key] = await keyItems('client-juliet');
    expect(key?.expiresAt).toEqual({ N: String(Math.ceil((fx.clock.ms + 30 * DAY) / 1000)) });
  });

  it('uses the configured grace period', async () => {
    const quick = fx.store({ shredAfterDays: 7 });
    await quick.install(payload('kilo'));
    await quick.uninstall('client-kilo');
    expect((await quick.get('client-kilo'))?.shredAfter).toBe(new Date(fx.clock.ms + 7 * DAY).toISOString());
  });

  it('treats a repeated uninstall as one, keeping the first shred time', async () => {
    await store.install(payload('lima'));
    await store.uninstall('client-lima');
    const first = await store.get('client-lima');
    fx.clock.advance(DAY);
    await store.uninstall('client-lima');
    expect(await store.get('client-lima')).toEqual(first);
  });

  it('ignores the uninstall of an unknown tenant', async () => {
    await expect(store.uninstall('client-never-seen')).resolves.toBeUndefined();
    expect(await store.get('client-never-seen')).toBeUndefined();
  });

  it('cancels the shred when the tenant reinstalls within the grace period, keeping its data', async () => {
    await store.install(payload('mike'));
    await store.dataFor('client-mike').put('profile', { plan: 'gold' });
    await store.uninstall('client-mike');
    fx.clock.advance(10 * DAY);
    fx.kms.resetCounts();
    const tenant = await store.install(payload('mike'));
    expect(tenant.state).toBe('installed');
    expect(tenant).not.toHaveProperty('shredAfter');
    expect(fx.kms.calls.generateDataKey).toBe(0);
    const [key] = await keyItems('client-mike');
    expect(key).not.toHaveProperty('expiresAt');
    fx.clock.advance(25 * DAY);
    expect(await fx.store().sharedSecret('client-mike')).toBe(payload('mike').sharedSecret);
    expect((await fx.store().dataFor('client-mike').get('profile'))?.value).toEqual({ plan: 'gold' });
  });

  it('records disable and enable, and serves the secret while disabled', async () => {
    await store.install(payload('november'));
    await store.setEnabled('client-november', false);
    expect((await store.get('client-november'))?.state).toBe('disabled');
    expect(await fx.store().sharedSecret('client-november')).toBe(payload('november').sharedSecret);
    await store.install(payload('november'));
    expect((await store.get('client-november'))?.state).toBe('disabled');
    await store.setEnabled('client-november', true);
    expect((await store.get('client-november'))?.state).toBe('installed');
  });

  it('does not revive an uninstalled tenant on enable, nor create an unknown one', async () => {
    await store.install(payload('oscar'));
    await store.uninstall('client-oscar');
    await store.setEnabled('client-oscar', true);
    expect((await store.get('client-oscar'))?.state).toBe('uninstalled');
    await store.setEnabled('client-unknown', true);
    expect(await store.get('client-unknown')).toBeUndefined();
  });

  it('keeps the first installedAt across redeliveries and starts a new one after uninstall', async () => {
    const first = await store.install(payload('papa'));
    fx.clock.advance(DAY);
    expect((await store.install(payload('papa'))).installedAt).toBe(first.installedAt);
    await store.uninstall('client-papa');
    fx.clock.advance(DAY);
    expect((await store.install(payload('papa'))).installedAt).toBe(new Date(fx.clock.ms).toISOString());
  });

  it('lets another clientKey take the installation once the holder is shredded', async () => {
    await store.install(payload('quebec'));
    await store.uninstall('client-quebec');
    await expect(store.install(payload('quebec', { clientKey: 'client-quebec-2' }))).rejects.toThrow(TenantConflictError);
    await store.shred('client-quebec');
    await expect(store.install(payload('quebec', { clientKey: 'client-quebec-2' }))).resolves.toMatchObject({ state: 'installed' });
  });

  it('lets another clientKey take the installation once the holder is past its grace period', async () => {
    await store.install(payload('romeo'));
    await store.uninstall('client-romeo');
    fx.clock.advance(31 * DAY);
    await expect(store.install(payload('romeo', { clientKey: 'client-romeo-2' }))).resolves.toMatchObject({ state: 'installed' });
  });
});
