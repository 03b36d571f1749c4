import { allItems } from '../../helpers/all-items';
import { MigrationEngine, tenantObjectPrefix } from '../../../runtime/migration';
import { request, SOURCE, TARGET, Tenant, TwoRealms } from './two-realms';

// A crash is injected at the n-th write (DynamoDB in either realm, or an object write) of a
// whole migration, for n = 1, 2, ... until a run gets through without reaching it; after
// each crash the hook that crashed is called again by a new engine (a new function
// instance), as Atlassian's retries and polls would, and the migration must end consistent.
// Batches of 4 written 2 at a time put crashes inside batches too (5 items: a full batch and a short one).
const ITEMS = 5;
const OBJECTS = 2;

// A crash at every write of a whole migration is many migrations: on a shared 2-core machine that outruns the default timeout.
jest.setTimeout(400_000);

let realms: TwoRealms;
beforeAll(async () => {
  realms = await TwoRealms.start();
});
afterAll(() => realms.close());

const engine = (): MigrationEngine => realms.engine({ batchSize: 4, parallelism: 2, batchesPerPoll: 3 });

/** Calls a hook until it does not crash (each call on a fresh engine). */
async function retried<T>(call: (e: MigrationEngine) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call(engine());
    } catch (err) {
      if ((err as Error).message !== 'injected crash' || attempt > 5) throw err;
      realms.clock.advance(5_000); // Atlassian retries 5 s later
    }
  }
}

async function pollToReady(t: Tenant, id: string, maxPolls = 60): Promise<void> {
  for (let i = 0; i < maxPolls; i++) {
    realms.clock.advance(5 * 60_000);
    const status = await retried((e) => e.status(t.clientKey, id));
    if (status.status === 'ready-to-commit') return;
    if (status.status === 'failed') throw new Error(`migration ${id} failed`);
  }
  throw new Error(`migration ${id} not ready after ${maxPolls} polls`);
}

const mine = (t: Tenant) => (items: Record<string, unknown>[]) => items.filter((i) => JSON.stringify(i).includes(t.clientKey));
const objectsOf = (store: { keys(): string[] }, t: Tenant) => store.keys().filter((k) => k.startsWith(tenantObjectPrefix(t.clientKey)));

async function expectCommitted(t: Tenant): Promise<void> {
  const store = realms.freshStore(realms.target);
  expect(await store.sharedSecret(t.clientKey)).toBe(t.sharedSecret);
  const items = await allItems(store.dataFor(t.clientKey));
  expect(items.map((i) => i.id).sort()).toEqual([...t.ids]);
  expect(mine(t)(await realms.tenantItems(realms.target))).toHaveLength(t.ids.length + 4);
  expect(objectsOf(realms.target.objects, t)).toHaveLength(OBJECTS);
  expect(mine(t)(await realms.tenantItems(realms.source))).toEqual([]);
  expect(objectsOf(realms.source.objects, t)).toEqual([]);
  expect(await realms.directory.realmOf(t.clientKey)).toBe(TARGET);
}

describe.each(['before', 'after'] as const)('a migration crashed %s any write, then run again', (when) => {
  afterEach(() => realms.crash.disarm());

  it('commits consistently: all data in the target realm, none left in the source', async () => {
    let n = 1;
    for (; ; n++) {
      const t = await realms.seed(`commit-${when}-${n}`, ITEMS, OBJECTS);
      const id = `m-commit-${when}-${n}`;
      realms.crash.arm(n, when);
      await retried((e) => e.schedule(t.clientKey, request(id)));
      await retried((e) => e.start(t.clientKey, request(id)));
      await pollToReady(t, id);
      await retried((e) => e.commit(t.clientKey, id));
      const crashed = realms.crash.count >= n;
      realms.crash.disarm();
      await expectCommitted(t);
      expect(await realms.slots()).toEqual([]);
      await realms.forget(t.clientKey);
      if (!crashed) break;
    }
    expect(n).toBeGreaterThan(45); // it did crash at every write of a whole migration (50 at this size) before this run
  });

  it('rolls back consistently: the source exactly as before, nothing left in the target realm', async () => {
    let n = 1;
    for (; ; n++) {
      const t = await realms.seed(`rollback-${when}-${n}`, ITEMS, OBJECTS);
      const id = `m-rollback-${when}-${n}`;
      const [source, target] = [mine(t)(await realms.tenantItems(realms.source)), mine(t)(await realms.tenantItems(realms.target))];
      const sourceObjects = objectsOf(realms.source.objects, t);
      realms.crash.arm(n, when);
      await retried((e) => e.schedule(t.clientKey, request(id)));
      await retried((e) => e.start(t.clientKey, request(id)));
      for (let i = 0; i < 3; i++) await retried((e) => e.status(t.clientKey, id)); // mid-copy, leases possibly held
      await retried((e) => e.rollback(t.clientKey, id));
      const crashed = realms.crash.count >= n;
      realms.crash.disarm();
      expect(mine(t)(await realms.tenantItems(realms.source))).toEqual(source);
      expect(objectsOf(realms.source.objects, t)).toEqual(sourceObjects);
      expect(mine(t)(await realms.tenantItems(realms.target))).toEqual(target);
      expect(objectsOf(realms.target.objects, t)).toEqual([]);
      expect(await realms.directory.realmOf(t.clientKey)).toBe(SOURCE);
      expect(await realms.slots()).toEqual([]);
      await realms.forget(t.clientKey);
      if (!crashed) break;
    }
    expect(n).toBeGreaterThan(45); // it did crash at every write of the schedule, copy and rollback (53) before this run
  });

  it('waits for a crashed copy to stop writing before a rollback finishes', async () => {
    const t = await realms.seed(`fenced-${when}`, 12, 3);
    const id = `m-fenced-${when}`;
    await realms.engine().schedule(t.clientKey, request(id));
    // The start crashes inside the copy and leaves its lease behind, as a function that died would.
    realms.crash.arm(6, when); // after the freeze, the target key and the first recorded step
    await realms.engine({ batchSize: 4, parallelism: 2 }).start(t.clientKey, request(id));
    expect(realms.crash.count).toBeGreaterThanOrEqual(6);
    realms.crash.disarm();
    const before = realms.clock.ms;
    await realms.engine().rollback(t.clientKey, id);
    expect(realms.clock.ms - before).toBe(3_000); // it slept until the lease of the crashed start ran out
    expect(mine(t)(await realms.tenantItems(realms.target))).toEqual([]);
    expect(objectsOf(realms.target.objects, t)).toEqual([]);
  });
});
