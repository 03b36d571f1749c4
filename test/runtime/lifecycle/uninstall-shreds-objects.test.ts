import attachments from '../../../examples/attachments/app';
import { sweepRealm } from '../../../runtime/lifecycle';
import { S3ObjectStore, tenantObjectPrefix } from '../../../runtime/migration';
import { S3ObjectPurger } from '../../../runtime/objects';
import { DynamoTenantStore, TenantKeyUnavailableError } from '../../../runtime/tenants';
import { tenantPartition } from '../../../runtime/tenants/item-keys';
import { TenantTable } from '../../../runtime/tenants/tenant-table';
import { FakeVersionedBucket } from '../../helpers/fake-versioned-s3';
import { call, devTenant, hostApp, testSigner } from '../../helpers/hosted-app';
import { DAY, payload, StoreFixture } from '../tenants/store-fixture';

// A vendor route's data (the attachments example: items in tenant.data, files in tenant.objects
// in a versioned bucket) through uninstall, the grace period and the realm's scheduled sweep.
describe('uninstall shreds what a vendor route wrote: sealed items and every object version', () => {
  let fx: StoreFixture;
  let bucket: FakeVersionedBucket;
  let store: DynamoTenantStore;
  let table: TenantTable;
  beforeAll(async () => {
    fx = await StoreFixture.start();
    bucket = new FakeVersionedBucket('realm-eu-data');
    store = fx.store({ objects: new S3ObjectPurger({ bucketName: bucket.bucketName, client: bucket.client }) });
    table = new TenantTable(fx.table.client, fx.table.tableName);
  });
  afterAll(async () => {
    bucket.restore();
    await fx.close();
  });

  const objects = () => new S3ObjectStore({ bucketName: bucket.bucketName, client: bucket.client });
  const app = () => hostApp(attachments, store, { objects: objects(), signer: testSigner() });
  const sweep = () => sweepRealm({ realm: 'EU', records: () => table.scanRecords(), store, now: fx.clock.now });
  const itemsOf = async (clientKey: string) => (await fx.scan()).filter((i) => (i['pk'] as { S: string }).S === tenantPartition(clientKey)).map((i) => (i['sk'] as { S: string }).S);

  /** Installs `name` and has the example write three files (one deleted: a delete marker over its version) and their items. */
  async function withFiles(name: string) {
    const p = payload(name);
    await store.install(p);
    const t = devTenant(p);
    for (const text of ['one', 'two', 'three']) expect((await call(app(), t, 'POST', '/api/issues/DOC-1/texts', { name: `${text}.txt`, text })).status).toBe(201);
    const listed = (await (await call(app(), t, 'GET', '/api/issues/DOC-1/attachments')).json()) as { attachments: { id: string }[] };
    expect((await call(app(), t, 'DELETE', `/api/issues/DOC-1/attachments/${listed.attachments[0]!.id}`)).status).toBe(204);
    const prefix = tenantObjectPrefix(p.clientKey);
    // Two live objects, and the deleted one's version under its delete marker.
    expect(bucket.versionsUnder(prefix)).toBe(4);
    return { p, prefix };
  }

  it('keeps everything through the grace period, then the sweep leaves no object version, no item and no key', async () => {
    const { p, prefix } = await withFiles('alpha');
    const other = await withFiles('bravo');
    await store.uninstall(p.clientKey);
    fx.clock.advance(29 * DAY);
    expect(await sweep()).toEqual({ live: 1, shredded: 0 });
    expect(bucket.versionsUnder(prefix)).toBe(4);

    fx.clock.advance(2 * DAY);
    expect(await sweep()).toEqual({ live: 1, shredded: 1 });
    expect(bucket.versionsUnder(prefix)).toBe(0);
    // Only the record is left, saying when the shred finished; its secret is sealed under a key that is gone.
    expect(await itemsOf(p.clientKey)).toEqual(['RECORD']);
    expect((await table.getRecord(p.clientKey))?.shreddedAt).toBe(new Date(fx.clock.ms).toISOString());
    await expect(store.dataFor(p.clientKey).get('anything')).rejects.toBeInstanceOf(TenantKeyUnavailableError);
    expect(await store.sharedSecret(p.clientKey)).toBeUndefined();
    // The other tenant is untouched, and a second sweep has nothing to do.
    expect(bucket.versionsUnder(other.prefix)).toBe(4);
    expect(await sweep()).toEqual({ live: 1, shredded: 0 });
  });

  it('records the shred only when done: a purge cut short is finished by the next sweep', async () => {
    const { p, prefix } = await withFiles('charlie');
    await store.uninstall(p.clientKey);
    fx.clock.advance(31 * DAY);
    bucket.failDeletes = 1;
    await expect(sweep()).rejects.toThrow('Realm sweep: 1 shred(s) failed and will be retried by the next sweep (first: Error)');
    expect(bucket.versionsUnder(prefix)).toBeGreaterThan(0);
    expect((await table.getRecord(p.clientKey))?.shreddedAt).toBeUndefined();
    // The key went first: nothing sealed is readable meanwhile.
    expect(await itemsOf(p.clientKey)).not.toContain('KEY');
    expect(await sweep()).toMatchObject({ shredded: 1 });
    expect(bucket.versionsUnder(prefix)).toBe(0);
    expect(await itemsOf(p.clientKey)).toEqual(['RECORD']);
  });

  it("keeps the record past the key's TTL, so a sweep finds it; a reinstall after the shred time sees none of the old files", async () => {
    const { p, prefix } = await withFiles('delta');
    await store.uninstall(p.clientKey);
    const record = await table.getRecord(p.clientKey);
    expect(record?.expiresAt).toBe(Math.ceil(Date.parse(record!.shredAfter!) / 1000) + 7 * 86_400);
    fx.clock.advance(31 * DAY);
    // No sweep ran yet: the reinstall makes a new key, and purges the shredded installation's objects first.
    await store.install(p);
    expect(bucket.versionsUnder(prefix)).toBe(0);
    const listed = (await (await call(app(), devTenant(p), 'GET', '/api/issues/DOC-1/attachments')).json()) as { attachments: unknown[] };
    expect(listed.attachments).toEqual([]);
  });

  it('refuses to purge anything but one tenant prefix', async () => {
    const purger = new S3ObjectPurger({ bucketName: bucket.bucketName, client: bucket.client });
    for (const prefix of ['', 'tenants/', 'tenants/a', 'logs/']) await expect(purger.purge(prefix)).rejects.toThrow('An object purge takes one tenant\'s prefix');
  });
});
