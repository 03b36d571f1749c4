import { allItems } from '../../helpers/all-items';
import { GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { LogEntry } from '../../../runtime/app/logger';
import { MigrationRefusal, tenantObjectPrefix } from '../../../runtime/migration';
import { pollUntilSettled } from './drive';
import { request, SOURCE, TARGET, Tenant, TwoRealms } from './two-realms';

let realms: TwoRealms;
beforeAll(async () => {
  realms = await TwoRealms.start();
});
afterAll(() => realms.close());

/** The refusal a call ends with (failing the test when it does not refuse). */
async function refusal(call: Promise<unknown>): Promise<MigrationRefusal> {
  const outcome = await call.then(() => undefined, (err: unknown) => err);
  if (!(outcome instanceof MigrationRefusal)) throw new Error(`expected a MigrationRefusal, got ${String(outcome)}`);
  return outcome;
}

async function rawKey(tenant: string) {
  const out = await realms.target.table.client.send(
    new GetItemCommand({ TableName: realms.target.table.tableName, Key: { pk: { S: `TENANT#${tenant}` }, sk: { S: 'KEY' } }, ConsistentRead: true }),
  );
  return out.Item;
}

async function expectMigrated(t: Tenant, objects: number): Promise<void> {
  const store = realms.freshStore(realms.target);
  expect(await store.sharedSecret(t.clientKey)).toBe(t.sharedSecret);
  expect(await store.get(t.clientKey)).toMatchObject({ clientKey: t.clientKey, baseUrl: t.baseUrl, productType: 'jira', installationId: t.installationId, state: 'installed' });
  const items = await allItems(store.dataFor(t.clientKey));
  expect(items.map((i) => i.id).sort()).toEqual([...t.ids]);
  for (const item of items) {
    const n = Number(item.id.slice('item-'.length));
    expect(item.value).toEqual({ n, text: `value of ${item.id} of ${t.clientKey.slice('client-'.length)}`, nested: { ok: true } });
  }
  // Nothing duplicated: exactly the record, the key, the installation and site claims and the items.
  const targetItems = (await realms.tenantItems(realms.target)).filter((i) => JSON.stringify(i).includes(t.clientKey));
  expect(targetItems).toHaveLength(t.ids.length + 4);
  const prefix = tenantObjectPrefix(t.clientKey);
  expect(realms.target.objects.keys().filter((k) => k.startsWith(prefix))).toHaveLength(objects);
  // The source copy is gone: no record, key, items, claim or objects.
  expect((await realms.tenantItems(realms.source)).filter((i) => JSON.stringify(i).includes(t.clientKey))).toEqual([]);
  expect(realms.source.objects.keys().filter((k) => k.startsWith(prefix))).toEqual([]);
  expect(await realms.directory.realmOf(t.clientKey)).toBe(TARGET);
  // What the source keeps: the tenant's open-migration item and the migration's record, both
  // expiring (DynamoDB TTL), the record with no cursor (a key of the tenant's) and no checksum over its data.
  const kept = (await realms.scan(realms.source)).filter((i) => JSON.stringify(i).includes(t.clientKey));
  expect(kept.map((i) => (i.sk as { S: string }).S.replace(/#.*/, '#')).sort()).toEqual(['MIGRATION#', 'MIGRATION-OPEN']);
  for (const item of kept) expect(item).toHaveProperty('expiresAt');
  const record = kept.find((i) => (i.sk as { S: string }).S.startsWith('MIGRATION#'))!;
  for (const field of ['cursor', 'sourceDigest', 'targetDigest']) expect(record).not.toHaveProperty(field);
}

describe('MigrationEngine between two realms', () => {
  it('moves a tenant with 1,000 items and its objects to the target realm with nothing lost or duplicated', async () => {
    const t = await realms.seed('thousand', 1000, 5);
    const sourceObjects = await Promise.all(realms.source.objects.keys().map(async (k) => [k, (await realms.source.objects.get(k))?.body] as const));
    const engine = realms.engine({ batchSize: 100 });
    await engine.schedule(t.clientKey, request('m-1000'));
    await engine.start(t.clientKey, request('m-1000'));
    expect((await pollUntilSettled(engine, realms.clock, t.clientKey, 'm-1000')).status).toEqual({ status: 'ready-to-commit' });
    await engine.commit(t.clientKey, 'm-1000');
    await expectMigrated(t, 5);
    for (const [key, body] of sourceObjects) if (key.startsWith(tenantObjectPrefix(t.clientKey))) expect((await realms.target.objects.get(key))?.body).toEqual(body);
    expect(await realms.slots()).toEqual([]);
  });

  it("re-wraps the tenant's data key under the target realm's key, bound to the target realm", async () => {
    const t = await realms.seed('rewrap', 3);
    const engine = realms.engine();
    await engine.schedule(t.clientKey, request('m-rewrap'));
    await engine.start(t.clientKey, request('m-rewrap'));
    await pollUntilSettled(engine, realms.clock, t.clientKey, 'm-rewrap');
    const wrapped = (await rawKey(t.clientKey))!.wrappedKey!.B!;
    const context = { app: 'com.example.residency-demo', tenant: t.clientKey };
    await expect(realms.target.keySource.unwrap(wrapped, { ...context, realm: TARGET })).resolves.toHaveLength(32);
    await expect(realms.target.keySource.unwrap(wrapped, { ...context, realm: SOURCE })).rejects.toThrow(/could not unwrap/);
    await expect(realms.source.keySource.unwrap(wrapped, { ...context, realm: TARGET })).rejects.toThrow(/could not unwrap/);
    await engine.rollback(t.clientKey, 'm-rewrap');
  });

  it('answers in-progress on every poll until the copy is verified, then ready-to-commit, and keeps answering it', async () => {
    const t = await realms.seed('polling', 120, 2);
    const engine = realms.engine({ batchSize: 25, batchesPerPoll: 2 });
    await engine.schedule(t.clientKey, request('m-poll'));
    await engine.start(t.clientKey, request('m-poll'));
    const { status, polls } = await pollUntilSettled(engine, realms.clock, t.clientKey, 'm-poll');
    expect(status).toEqual({ status: 'ready-to-commit' });
    // Copy: key (2 batches), 5 data pages, objects, claim, record; verify: 5 pages, objects, record.
    // 17 batches at 2 a call, the first 2 done by start: 8 polls.
    expect(polls).toBe(8);
    expect(await engine.status(t.clientKey, 'm-poll')).toEqual({ status: 'ready-to-commit' });
    await engine.commit(t.clientKey, 'm-poll');
    await engine.commit(t.clientKey, 'm-poll'); // a redelivered commit is a no-op
    await expectMigrated(t, 2);
  });

  it('rolls back leaving the source byte-identical and nothing of the tenant in the target realm', async () => {
    const t = await realms.seed('rollback', 60, 3);
    const before = await realms.tenantItems(realms.source);
    const objectsBefore = realms.source.objects.keys();
    const targetBefore = await realms.tenantItems(realms.target);
    const engine = realms.engine({ batchSize: 20 });
    await engine.schedule(t.clientKey, request('m-rb'));
    await engine.start(t.clientKey, request('m-rb'));
    expect((await pollUntilSettled(engine, realms.clock, t.clientKey, 'm-rb')).status).toEqual({ status: 'ready-to-commit' });
    expect((await realms.tenantItems(realms.target)).length).toBeGreaterThan(targetBefore.length);
    await engine.rollback(t.clientKey, 'm-rb');
    await engine.rollback(t.clientKey, 'm-rb'); // redelivered
    expect(await realms.tenantItems(realms.source)).toEqual(before);
    expect(realms.source.objects.keys()).toEqual(objectsBefore);
    expect(await realms.tenantItems(realms.target)).toEqual(targetBefore);
    expect(realms.target.objects.keys().filter((k) => k.startsWith(tenantObjectPrefix(t.clientKey)))).toEqual([]);
    expect(await realms.directory.realmOf(t.clientKey)).toBe(SOURCE);
    expect(await realms.freshStore(realms.source).sharedSecret(t.clientKey)).toBe(t.sharedSecret);
    expect(await refusal(engine.commit(t.clientKey, 'm-rb'))).toMatchObject({ status: 409, code: 'E0001' });
  });

  it('refuses a location the app does not serve with E0002 and changes nothing', async () => {
    const t = await realms.seed('e0002', 2);
    const before = await realms.scan(realms.source);
    const err = await refusal(realms.engine().schedule(t.clientKey, request('m-au', 'AU')));
    expect(err).toMatchObject({ status: 400, code: 'E0002' });
    expect(err.toJSON()).toEqual({ error: 'realm AU is not supported by this app', errorResponseCode: 'E0002' });
    expect(await realms.scan(realms.source)).toEqual(before);
  });

  it('refuses start, status, commit and rollback of a migration that was never scheduled with E0001, changing nothing', async () => {
    const t = await realms.seed('e0001', 2);
    const engine = realms.engine();
    const [source, target] = [await realms.scan(realms.source), await realms.scan(realms.target)];
    for (const call of [
      engine.start(t.clientKey, request('never')),
      engine.status(t.clientKey, 'never'),
      engine.commit(t.clientKey, 'never'),
      engine.rollback(t.clientKey, 'never'),
    ]) {
      expect(await refusal(call)).toMatchObject({ status: 404, code: 'E0001' });
    }
    expect([await realms.scan(realms.source), await realms.scan(realms.target)]).toEqual([source, target]);
  });

  it("never lets one tenant see or act on another tenant's migration", async () => {
    const a = await realms.seed('owner', 2);
    const b = await realms.seed('intruder', 2);
    const engine = realms.engine();
    await engine.schedule(a.clientKey, request('m-owned'));
    expect(await refusal(engine.start(b.clientKey, request('m-owned')))).toMatchObject({ status: 404, code: 'E0001' });
    expect(await refusal(engine.rollback(b.clientKey, 'm-owned'))).toMatchObject({ status: 404, code: 'E0001' });
    await engine.rollback(a.clientKey, 'm-owned');
  });

  it('refuses a schedule beyond the concurrency limit with E0004 until a migration finishes', async () => {
    const tenants = await Promise.all(['c1', 'c2', 'c3'].map((n) => realms.seed(n, 1)));
    const engine = realms.engine({ maxConcurrent: 2 });
    await engine.schedule(tenants[0]!.clientKey, request('m-c1'));
    await engine.schedule(tenants[1]!.clientKey, request('m-c2'));
    const before = await realms.scan(realms.source);
    expect(await refusal(engine.schedule(tenants[2]!.clientKey, request('m-c3')))).toMatchObject({ status: 429, code: 'E0004' });
    expect(await realms.scan(realms.source)).toEqual(before);
    await engine.schedule(tenants[0]!.clientKey, request('m-c1')); // a redelivered schedule keeps its slot
    await engine.rollback(tenants[0]!.clientKey, 'm-c1');
    await engine.schedule(tenants[2]!.clientKey, request('m-c3'));
    await engine.rollback(tenants[1]!.clientKey, 'm-c2');
    await engine.rollback(tenants[2]!.clientKey, 'm-c3');
    expect(await realms.slots()).toEqual([]);
  });

  it('keeps a redelivered schedule idempotent and refuses the same id for another location', async () => {
    const t = await realms.seed('resched', 1);
    const engine = realms.engine();
    await engine.schedule(t.clientKey, request('m-re'));
    await engine.schedule(t.clientKey, request('m-re'));
    expect(await refusal(engine.schedule(t.clientKey, request('m-re', SOURCE)))).toMatchObject({ status: 409, code: 'E9999' });
    expect(await refusal(engine.start(t.clientKey, request('m-re', SOURCE)))).toMatchObject({ status: 409, code: 'E9999' });
    await engine.rollback(t.clientKey, 'm-re');
  });

  it('keeps one migration per tenant open: a second schedule is refused with E0004 until the first finishes', async () => {
    const t = await realms.seed('replace', 1);
    const engine = realms.engine();
    await engine.schedule(t.clientKey, request('m-old'));
    expect(await refusal(engine.schedule(t.clientKey, request('m-new')))).toMatchObject({ status: 409, code: 'E0004' });
    await engine.start(t.clientKey, request('m-old'));
    expect(await refusal(engine.schedule(t.clientKey, request('m-third')))).toMatchObject({ status: 409, code: 'E0004' });
    await engine.rollback(t.clientKey, 'm-old');
    await engine.schedule(t.clientKey, request('m-new'));
    await engine.rollback(t.clientKey, 'm-new');
    expect(await realms.slots()).toEqual([]);
  });

  it('fails verification with E9999 when the target copy differs, and a rollback then restores the start', async () => {
    const t = await realms.seed('tamper', 30);
    const logs: LogEntry[] = [];
    const engine = realms.engine({ batchSize: 10, batchesPerPoll: 1, log: (e) => logs.push(e) });
    const targetBefore = await realms.tenantItems(realms.target);
    await engine.schedule(t.clientKey, request('m-tamper'));
    await engine.start(t.clientKey, request('m-tamper'));
    // Let the copy finish (key 2, data 3 pages + the empty end, objects, claim, record), then change one target item.
    for (let i = 0; i < 7; i++) await engine.status(t.clientKey, 'm-tamper');
    // Changed behind the store's back (the store itself admits writes only for a tenant whose record is there).
    await realms.target.table.client.send(new UpdateItemCommand({
      TableName: realms.target.table.tableName,
      Key: { pk: { S: `TENANT#${t.clientKey}` }, sk: { S: 'DATA#item-0007' } },
      UpdateExpression: 'SET updatedAt = :at',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':at': { S: '2001-01-01T00:00:00.000Z' } },
    }));
    const { status } = await pollUntilSettled(engine, realms.clock, t.clientKey, 'm-tamper');
    expect(status).toEqual({ status: 'failed', errorResponseCode: 'E9999' });
    expect(logs).toEqual([expect.objectContaining({ event: 'migration-failed', reason: expect.stringMatching(/found 30 items .* and 30 .* different checksums/) })]);
    expect(await refusal(engine.commit(t.clientKey, 'm-tamper'))).toMatchObject({ status: 409, code: 'E9999' });
    await engine.rollback(t.clientKey, 'm-tamper');
    expect(await realms.tenantItems(realms.target)).toEqual(targetBefore);
    expect((await realms.freshStore(realms.source).dataFor(t.clientKey).get('item-0007'))?.value).toMatchObject({ n: 7 });
  });

  it('fails with E9999 when the target realm already holds the tenant, and its rollback leaves that copy alone', async () => {
    const t = await realms.seed('twice', 4);
    await realms.target.store.install({ ...t, installationId: undefined, sharedSecret: 'the-target-copy-secret-000000' });
    await realms.target.store.dataFor(t.clientKey).put('mine', { keep: true });
    const targetBefore = await realms.tenantItems(realms.target);
    const logs: LogEntry[] = [];
    const engine = realms.engine({ log: (e) => logs.push(e) });
    await engine.schedule(t.clientKey, request('m-twice'));
    await engine.start(t.clientKey, request('m-twice'));
    expect(await engine.status(t.clientKey, 'm-twice')).toEqual({ status: 'failed', errorResponseCode: 'E9999' });
    expect(logs).toEqual([expect.objectContaining({ reason: 'realm EU already holds a data key of this tenant that this migration did not write' })]);
    await engine.rollback(t.clientKey, 'm-twice');
    expect(await realms.tenantItems(realms.target)).toEqual(targetBefore);
  });

  it('moves only the directory entry between realms that share one stack', async () => {
    const t = await realms.seed('shared', 3);
    const stores = realms.stores();
    const engine = realms.engine({ realms: { ...stores, DE: stores[SOURCE]! } });
    const before = await realms.tenantItems(realms.source);
    await engine.schedule(t.clientKey, request('m-de', 'DE'));
    await engine.start(t.clientKey, request('m-de', 'DE'));
    expect(await engine.status(t.clientKey, 'm-de')).toEqual({ status: 'ready-to-commit' });
    await engine.commit(t.clientKey, 'm-de');
    expect(await realms.directory.realmOf(t.clientKey)).toBe('DE');
    expect(await realms.tenantItems(realms.source)).toEqual(before);
  });
});
