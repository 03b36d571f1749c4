import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { tenantObjectPrefix } from '../../../runtime/migration';
import { S3ObjectUrlSigner, TenantObjects } from '../../../runtime/objects';
import { allItems } from '../../helpers/all-items';
import { MigrationRefusal } from '../../../runtime/migration';
import { TenantFrozenError } from '../../../runtime/tenants/data-errors';
import { TenantKeyUnavailableError } from '../../../runtime/tenants/tenant';
import { pollUntilSettled } from './drive';
import { payload, request, SOURCE, TARGET, Tenant, TwoRealms } from './two-realms';

// From start until commit or rollback the tenant's writes are refused (503 with Retry-After in the app):
// refusing, not queueing, because a refused write is retried by its sender against whichever realm
// then holds the tenant, while a queue would be one more copy of tenant data to move and to lose.

let realms: TwoRealms;
beforeAll(async () => {
  realms = await TwoRealms.start();
});
afterAll(() => realms.close());

const mine = (t: Tenant) => async (r: TwoRealms['source']) => (await realms.tenantItems(r)).filter((i) => JSON.stringify(i).includes(t.clientKey));

async function ready(t: Tenant, id: string): Promise<void> {
  const engine = realms.engine();
  await engine.schedule(t.clientKey, request(id));
  await engine.start(t.clientKey, request(id));
  expect((await pollUntilSettled(engine, realms.clock, t.clientKey, id)).status).toEqual({ status: 'ready-to-commit' });
}

async function refusal(call: Promise<unknown>): Promise<unknown> {
  return call.then(() => undefined, (err: unknown) => err);
}

describe('the freeze of a migrating tenant', () => {
  it('refuses data writes, deletes and a re-install from start until rollback, then lets them through again', async () => {
    const t = await realms.seed('frozen', 5);
    const warm = realms.freshStore(realms.source);
    await warm.dataFor(t.clientKey).put('warm-up', 1); // the instance's caches are warm
    await ready(t, 'm-freeze');
    // Refused whichever check sees it first: the source's data key is gone (revocation reads it at once) or the record is.
    const late = await refusal(warm.dataFor(t.clientKey).put('late', 1));
    expect(late instanceof TenantFrozenError || late instanceof TenantKeyUnavailableError).toBe(true);
    expect(await refusal(warm.dataFor(t.clientKey).delete(t.ids[0]!))).toBeInstanceOf(TenantFrozenError);
    expect(await refusal(realms.freshStore(realms.source).install({ ...payload('frozen'), sharedSecret: 'a-new-secret-0123456789abcdef-xyz' }))).toBeInstanceOf(TenantFrozenError);
    const store = realms.freshStore(realms.source);
    expect(await refusal(store.uninstall(t.clientKey))).toBeInstanceOf(TenantFrozenError);
    await realms.engine().rollback(t.clientKey, 'm-freeze');
    await warm.dataFor(t.clientKey).put('after', 2);
    expect((await allItems(warm.dataFor(t.clientKey))).map((i) => i.id)).toContain('after');
    expect(await warm.sharedSecret(t.clientKey)).toBe(t.sharedSecret);
  });

  it('refuses a commit when a write was counted after the freeze, losing nothing', async () => {
    const t = await realms.seed('moved-under', 4);
    await ready(t, 'm-changed');
    // A write admitted just before the freeze whose count landed after it.
    await realms.source.table.client.send(new UpdateItemCommand({
      TableName: realms.source.table.tableName,
      Key: { pk: { S: `TENANT#${t.clientKey}` }, sk: { S: 'RECORD' } },
      UpdateExpression: 'ADD writeVersion :one',
      ExpressionAttributeValues: { ':one': { N: '1' } },
    }));
    const sourceBefore = await mine(t)(realms.source);
    const outcome = await refusal(realms.engine().commit(t.clientKey, 'm-changed'));
    expect(outcome).toBeInstanceOf(MigrationRefusal);
    expect(outcome).toMatchObject({ status: 409, code: 'E9999' });
    expect(await mine(t)(realms.source)).toEqual(sourceBefore);
    expect(await realms.directory.realmOf(t.clientKey)).toBe(SOURCE);
    await realms.engine().rollback(t.clientKey, 'm-changed');
    expect(await mine(t)(realms.target)).toEqual([]);
  });

  it('refuses writes in the source at once after commit, whatever a warm instance has cached', async () => {
    const t = await realms.seed('gone', 3);
    const warm = realms.freshStore(realms.source);
    await warm.dataFor(t.clientKey).put('warm-up', 1);
    await ready(t, 'm-gone');
    await realms.engine().commit(t.clientKey, 'm-gone');
    // Refused whichever check sees it first: the source's data key is gone (revocation reads it at once) or the record is.
    const late = await refusal(warm.dataFor(t.clientKey).put('late', 1));
    expect(late instanceof TenantFrozenError || late instanceof TenantKeyUnavailableError).toBe(true);
    expect(await mine(t)(realms.source)).toEqual([]);
    // The target is unfrozen: the tenant writes there.
    await realms.freshStore(realms.target).dataFor(t.clientKey).put('moved', 1);
    expect(await realms.directory.realmOf(t.clientKey)).toBe(TARGET);
  });

  /** `tenant.objects` of `t` in the source realm as the app's tenant context builds it (a real SigV4 signer, offline). */
  const objectsOf = (t: Tenant) => {
    const store = realms.freshStore(realms.source);
    const signer = new S3ObjectUrlSigner({ bucketName: 'realm-bucket', client: new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' } }) });
    return new TenantObjects({ tenant: t.clientKey, store: realms.source.objects, signer, now: realms.clock.now, admitWrite: (until) => store.admitObjectWrite(t.clientKey, until) });
  };
  const sourceObjects = (t: Tenant) => realms.source.objects.keys().filter((k) => k.startsWith(tenantObjectPrefix(t.clientKey)));
  const targetObjects = (t: Tenant) => realms.target.objects.keys().filter((k) => k.startsWith(tenantObjectPrefix(t.clientKey)));

  it('refuses object puts, deletes and presigned upload URLs from start until rollback, then lets them through again', async () => {
    const t = await realms.seed('frozen-objects', 2, 2);
    const objects = objectsOf(t);
    await objects.put('warm.txt', 'warm');
    await ready(t, 'm-freeze-objects');
    expect(await refusal(objects.put('late.txt', 'late'))).toBeInstanceOf(TenantFrozenError);
    expect(await refusal(objects.delete('file-0.bin'))).toBeInstanceOf(TenantFrozenError);
    expect(await refusal(objects.presignPut('upload.bin'))).toBeInstanceOf(TenantFrozenError);
    expect(sourceObjects(t)).toHaveLength(3);
    expect(await objects.presignGet('warm.txt')).toMatch(/^https:\/\//); // reads go on
    await realms.engine().rollback(t.clientKey, 'm-freeze-objects');
    await objects.put('after.txt', 'after');
    expect(await objects.presignPut('upload.bin')).toMatch(/X-Amz-Signature=/);
  });

  it('refuses object writes in the source at once after commit', async () => {
    const t = await realms.seed('gone-objects', 1, 1);
    const objects = objectsOf(t);
    await objects.put('warm.txt', 'warm');
    await ready(t, 'm-gone-objects');
    await realms.engine().commit(t.clientKey, 'm-gone-objects');
    expect(await refusal(objects.put('late.txt', 'late'))).toBeInstanceOf(TenantFrozenError);
    expect(await refusal(objects.presignPut('late.bin'))).toBeInstanceOf(TenantFrozenError);
    expect(sourceObjects(t)).toEqual([]);
    expect(targetObjects(t)).toHaveLength(2);
  });

  it('copies objects only once every upload URL presigned before the freeze expired, so a late upload moves too', async () => {
    const t = await realms.seed('presigned', 1, 1);
    await objectsOf(t).presignPut('big-upload.bin', { expiresIn: 900 });
    const engine = realms.engine();
    await engine.schedule(t.clientKey, request('m-presigned'));
    await engine.start(t.clientKey, request('m-presigned'));
    realms.clock.advance(5 * 60_000);
    expect(await engine.status(t.clientKey, 'm-presigned')).toEqual({ status: 'in-progress' });
    expect(targetObjects(t)).toEqual([]);
    // The upload through the URL lands 10 minutes in, after the freeze and before the URL expired.
    realms.clock.advance(5 * 60_000);
    await realms.source.objects.put(`${tenantObjectPrefix(t.clientKey)}big-upload.bin`, new Uint8Array([1, 2, 3]));
    expect((await pollUntilSettled(engine, realms.clock, t.clientKey, 'm-presigned')).status).toEqual({ status: 'ready-to-commit' });
    await engine.commit(t.clientKey, 'm-presigned');
    expect(targetObjects(t)).toEqual([`${tenantObjectPrefix(t.clientKey)}big-upload.bin`, `${tenantObjectPrefix(t.clientKey)}file-0.bin`]);
    expect(sourceObjects(t)).toEqual([]);
  });
});
