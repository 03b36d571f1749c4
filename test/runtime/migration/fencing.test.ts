import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { allItems } from '../../helpers/all-items';
import { InMemoryObjectStore, MigrationEngine, MigrationRefusal, tenantObjectPrefix } from '../../../runtime/migration';
import { compareUtf8 } from '../../../runtime/migration/key-order';
import { pollUntilSettled } from './drive';
import { request, SOURCE, TARGET, Tenant, TwoRealms } from './two-realms';

let realms: TwoRealms;
beforeAll(async () => {
  realms = await TwoRealms.start();
});
afterAll(() => realms.close());

async function refusal(call: Promise<unknown>): Promise<MigrationRefusal> {
  const outcome = await call.then(() => undefined, (err: unknown) => err);
  if (!(outcome instanceof MigrationRefusal)) throw new Error(`expected a MigrationRefusal, got ${String(outcome)}`);
  return outcome;
}

const mine = (t: Tenant) => async (r: TwoRealms['source']) => (await realms.tenantItems(r)).filter((i) => JSON.stringify(i).includes(t.clientKey));
const objectsOf = (r: TwoRealms['source'], t: Tenant) => r.objects.keys().filter((k) => k.startsWith(tenantObjectPrefix(t.clientKey)));

async function ready(engine: MigrationEngine, t: Tenant, id: string): Promise<void> {
  await engine.schedule(t.clientKey, request(id));
  await engine.start(t.clientKey, request(id));
  expect((await pollUntilSettled(engine, realms.clock, t.clientKey, id)).status).toEqual({ status: 'ready-to-commit' });
}

describe('one open migration per tenant', () => {
  it('lets exactly one of two concurrent schedules win; the loser is refused and its late rollback touches nothing', async () => {
    const t = await realms.seed('race', 12, 2);
    const outcomes = await Promise.allSettled([realms.engine().schedule(t.clientKey, request('m-a')), realms.engine().schedule(t.clientKey, request('m-b'))]);
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toMatchObject({ status: 409, code: 'E0004' });
    const [winner, loser] = outcomes[0]!.status === 'fulfilled' ? ['m-a', 'm-b'] : ['m-b', 'm-a'];
    const engine = realms.engine({ batchSize: 5 });
    await engine.start(t.clientKey, request(winner));
    await pollUntilSettled(engine, realms.clock, t.clientKey, winner);
    const targetBefore = await mine(t)(realms.target);
    expect(await refusal(engine.rollback(t.clientKey, loser))).toMatchObject({ status: 404, code: 'E0001' });
    expect(await mine(t)(realms.target)).toEqual(targetBefore);
    expect(objectsOf(realms.target, t)).toHaveLength(2);
    await engine.commit(t.clientKey, winner);
    expect(await realms.directory.realmOf(t.clientKey)).toBe(TARGET);
  });
});

describe('status', () => {
  it('answers not ready (never an error) when the source table cannot be read', async () => {
    const t = await realms.seed('flaky', 1);
    const stores = realms.stores();
    // A client that cannot reach its endpoint stands for a passing DynamoDB fault.
    const broken = new DynamoDBClient({ endpoint: 'http://127.0.0.1:1', region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const engine = realms.engine({ realms: { ...stores, [SOURCE]: { ...stores[SOURCE]!, client: broken } } });
    expect(await engine.status(t.clientKey, 'm-any')).toEqual({ status: 'in-progress' });
  });

  it('says a finished migration is committed or rolled back', async () => {
    const a = await realms.seed('told-commit', 3);
    const b = await realms.seed('told-rollback', 3);
    const engine = realms.engine();
    await ready(engine, a, 'm-c');
    await engine.commit(a.clientKey, 'm-c');
    expect(await engine.status(a.clientKey, 'm-c')).toEqual({ status: 'committed' });
    await ready(engine, b, 'm-r');
    await engine.rollback(b.clientKey, 'm-r');
    expect(await engine.status(b.clientKey, 'm-r')).toEqual({ status: 'rolled-back' });
  });
});

describe('a commit interrupted before it deleted anything', () => {
  afterEach(() => realms.crash.disarm());

  // The commit's writes: 1 records `committing`; then the directory flips; 2 records the next step.
  for (const crashAt of [1, 2]) {
    it(`is resumed by the next commit (crash at its write ${crashAt})`, async () => {
      const t = await realms.seed(`resume-${crashAt}`, 8, 1);
      await ready(realms.engine(), t, 'm-resume');
      const sourceItems = await mine(t)(realms.source);
      realms.crash.arm(crashAt);
      await expect(realms.engine().commit(t.clientKey, 'm-resume')).rejects.toThrow('injected crash');
      realms.crash.disarm();
      await realms.engine().commit(t.clientKey, 'm-resume');
      const items = await allItems(realms.freshStore(realms.target).dataFor(t.clientKey));
      expect(items.map((i) => i.id).sort()).toEqual([...t.ids]);
      expect(await mine(t)(realms.target)).toHaveLength(sourceItems.length);
      expect(await mine(t)(realms.source)).toEqual([]);
      expect(objectsOf(realms.source, t)).toEqual([]);
      expect(await realms.directory.realmOf(t.clientKey)).toBe(TARGET);
    });

    it(`is rolled back by a rollback instead (crash at its write ${crashAt}), the directory pointing home again`, async () => {
      const t = await realms.seed(`undo-${crashAt}`, 8, 1);
      const sourceBefore = await mine(t)(realms.source);
      const objectsBefore = await Promise.all(objectsOf(realms.source, t).map((k) => realms.source.objects.get(k)));
      await ready(realms.engine(), t, 'm-undo');
      realms.crash.arm(crashAt);
      await expect(realms.engine().commit(t.clientKey, 'm-undo')).rejects.toThrow('injected crash');
      realms.crash.disarm();
      await realms.engine().rollback(t.clientKey, 'm-undo');
      expect(await mine(t)(realms.source)).toEqual(sourceBefore);
      expect(await Promise.all(objectsOf(realms.source, t).map((k) => realms.source.objects.get(k)))).toEqual(objectsBefore);
      expect(await mine(t)(realms.target)).toEqual([]);
      expect(objectsOf(realms.target, t)).toEqual([]);
      expect(await realms.directory.realmOf(t.clientKey)).toBe(SOURCE);
      expect(await refusal(realms.engine().commit(t.clientKey, 'm-undo'))).toMatchObject({ status: 409, code: 'E0001' });
    });
  }

  it('can no longer be rolled back once it began deleting the source', async () => {
    const t = await realms.seed('no-return', 4);
    await ready(realms.engine(), t, 'm-late');
    realms.crash.arm(3); // after the step past the directory was recorded
    await expect(realms.engine().commit(t.clientKey, 'm-late')).rejects.toThrow('injected crash');
    realms.crash.disarm();
    expect(await refusal(realms.engine().rollback(t.clientKey, 'm-late'))).toMatchObject({ status: 409, code: 'E9999' });
    await realms.engine().commit(t.clientKey, 'm-late');
    expect(await mine(t)(realms.source)).toEqual([]);
  });
});

describe('keys outside the Basic Multilingual Plane', () => {
  it('orders keys by UTF-8 bytes, as DynamoDB and S3 do', () => {
    // U+1F600 is a surrogate pair (0xD83D...) in UTF-16 but F0 9F 98 80 in UTF-8, after EF BF BD (U+FFFD).
    expect('\u{1F600}' < '\uFFFD').toBe(true);
    expect(compareUtf8('\u{1F600}', '\uFFFD')).toBeGreaterThan(0);
    expect(['b', '\u{1F600}', '\uFFFD', 'a'].sort(compareUtf8)).toEqual(['a', 'b', '\uFFFD', '\u{1F600}']);
  });

  it('copies, verifies and commits items and objects whose ids mix astral and high-BMP characters across page boundaries', async () => {
    const t0 = await realms.seed('astral', 0);
    const data = realms.source.store.dataFor(t0.clientKey);
    const ids = ['a', '\uFFFD-1', '\u{1F600}-1', '\uE000', '\u{10FFFF}', '\uFFFD-2', '\u{1F600}-2', 'z'];
    for (const id of ids) await data.put(id, { id });
    const prefix = tenantObjectPrefix(t0.clientKey);
    for (const id of ids) await realms.source.objects.put(`${prefix}${id}`, new Uint8Array(Buffer.from(id)), 'text/plain');
    const t = { ...t0, ids };
    const engine = realms.engine({ batchSize: 3 });
    await ready(engine, t, 'm-astral');
    await engine.commit(t.clientKey, 'm-astral');
    const items = await allItems(realms.freshStore(realms.target).dataFor(t.clientKey));
    expect(items.map((i) => i.id).sort(compareUtf8)).toEqual([...ids].sort(compareUtf8));
    for (const id of ids) expect(await realms.target.objects.get(`${prefix}${id}`)).toEqual({ body: new Uint8Array(Buffer.from(id)), contentType: 'text/plain' });
    expect(await mine(t)(realms.source)).toEqual([]);
  });
});

/** A write held on its way: `hold()` in the write waits for `release()`; `reached` resolves when a write is held. */
function holdUp() {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let arrived!: () => void;
  const reached = new Promise<void>((resolve) => (arrived = resolve));
  return { hold: () => (arrived(), held), reached, release };
}

/** Lets the copy's lease (300 ms, on the test clock and in real time, the signal's) run out. */
async function pastTheLease(): Promise<void> {
  realms.clock.advance(400);
  await new Promise((r) => setTimeout(r, 400));
}

describe('a rollback during a slow batch', () => {
  it('lets no write of the interrupted copy land after the rollback answered', async () => {
    const t = await realms.seed('slow', 2, 3);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let reads = 0;
    // The source bucket answers the copy's second read only when the test says so.
    class SlowStore extends InMemoryObjectStore {
      public override async get(key: string) {
        if (++reads === 2) await gate;
        return realms.source.objects.get(key);
      }
      public override list(prefix: string, after: string | undefined, limit: number) {
        return realms.source.objects.list(prefix, after, limit);
      }
    }
    const stores = realms.stores();
    const slow = realms.engine({ realms: { ...stores, [SOURCE]: { ...stores[SOURCE]!, objects: new SlowStore() } }, leaseMs: 3000 });
    await slow.schedule(t.clientKey, request('m-slow'));
    const copying = slow.start(t.clientKey, request('m-slow'));
    while (reads < 2) await new Promise((r) => setTimeout(r, 5));
    await realms.engine().rollback(t.clientKey, 'm-slow');
    release();
    await copying;
    expect(await mine(t)(realms.target)).toEqual([]);
    expect(objectsOf(realms.target, t)).toEqual([]);
    expect(await realms.engine().status(t.clientKey, 'm-slow')).toEqual({ status: 'rolled-back' });
  });

  it('lets no write held up on its way to the target (a slow network, a retry) land after the rollback answered', async () => {
    const t = await realms.seed('held-up', 30, 0);
    // The target's second BatchWriteItem is held before it is sent, until the test lets it go.
    let batches = 0;
    const write = holdUp();
    realms.target.table.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'BatchWriteItemCommand' && ++batches === 2) await write.hold();
        return next(args);
      },
      { step: 'initialize', name: 'holdUp' },
    );
    try {
      const slow = realms.engine({ batchSize: 10, parallelism: 1, leaseMs: 300, writeMarginMs: 100 });
      await slow.schedule(t.clientKey, request('m-held'));
      const copying = slow.start(t.clientKey, request('m-held'));
      await write.reached;
      await pastTheLease();
      await realms.engine().rollback(t.clientKey, 'm-held');
      const answeredAt = await mine(t)(realms.target);
      write.release();
      await copying;
      expect(await mine(t)(realms.target)).toEqual(answeredAt);
      expect(await realms.engine().status(t.clientKey, 'm-held')).toEqual({ status: 'rolled-back' });
      expect(await mine(t)(realms.target)).toEqual([]);
    } finally {
      realms.target.table.client.middlewareStack.remove('holdUp');
    }
  });

  it('lets no object put held up on its way to the target land after the rollback answered', async () => {
    const t = await realms.seed('held-object', 2, 3);
    const write = holdUp();
    // The target bucket as the copy sees it: its first put is held before it is sent.
    class HeldBucket extends InMemoryObjectStore {
      private puts = 0;
      public override async put(key: string, body: Uint8Array, contentType?: string, signal?: AbortSignal) {
        if (++this.puts === 1) await write.hold();
        return realms.target.objects.put(key, body, contentType, signal);
      }
    }
    const stores = realms.stores();
    const slow = realms.engine({ realms: { ...stores, [TARGET]: { ...stores[TARGET]!, objects: new HeldBucket() } }, parallelism: 1, leaseMs: 300, writeMarginMs: 100 });
    await slow.schedule(t.clientKey, request('m-held-object'));
    const copying = slow.start(t.clientKey, request('m-held-object'));
    await write.reached;
    await pastTheLease();
    await realms.engine().rollback(t.clientKey, 'm-held-object');
    write.release();
    await copying;
    expect(objectsOf(realms.target, t)).toEqual([]);
    expect(await realms.engine().status(t.clientKey, 'm-held-object')).toEqual({ status: 'rolled-back' });
  });
});
