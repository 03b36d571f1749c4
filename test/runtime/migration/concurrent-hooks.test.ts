import { allItems } from '../../helpers/all-items';
import { InMemoryObjectStore, MigrationEngine, MigrationRefusal, tenantObjectPrefix } from '../../../runtime/migration';
import { pollUntilSettled } from './drive';
import { request, SOURCE, TARGET, Tenant, TwoRealms } from './two-realms';

// A commit that arrives while Atlassian's status poll of the same migration is still running
// (each on its own function instance): before the copy is verified it is refused and changes
// nothing; once ready, both answer consistently and the tenant ends up committed.
let realms: TwoRealms;
beforeAll(async () => {
  realms = await TwoRealms.start();
});
afterAll(() => realms.close());

const mine = (t: Tenant) => async (r: TwoRealms['source']) => (await realms.tenantItems(r)).filter((i) => JSON.stringify(i).includes(t.clientKey));
const objectsOf = (r: TwoRealms['source'], t: Tenant) => r.objects.keys().filter((k) => k.startsWith(tenantObjectPrefix(t.clientKey)));

async function refusal(call: Promise<unknown>): Promise<MigrationRefusal> {
  const outcome = await call.then(() => undefined, (err: unknown) => err);
  if (!(outcome instanceof MigrationRefusal)) throw new Error(`expected a MigrationRefusal, got ${String(outcome)}`);
  return outcome;
}

async function expectCommitted(t: Tenant, objects: number): Promise<void> {
  const store = realms.freshStore(realms.target);
  expect(await store.sharedSecret(t.clientKey)).toBe(t.sharedSecret);
  expect((await allItems(store.dataFor(t.clientKey))).map((i) => i.id).sort()).toEqual([...t.ids]);
  expect(objectsOf(realms.target, t)).toHaveLength(objects);
  expect(await mine(t)(realms.source)).toEqual([]);
  expect(objectsOf(realms.source, t)).toEqual([]);
  expect(await realms.directory.realmOf(t.clientKey)).toBe(TARGET);
}

/** An engine whose reads of source objects wait at the `n`-th one until `release()`. */
function gatedEngine(n: number): { engine: MigrationEngine; reached: () => boolean; release: () => void } {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let reads = 0;
  class GatedStore extends InMemoryObjectStore {
    public override async get(key: string) {
      if (++reads === n) await gate;
      return realms.source.objects.get(key);
    }
    public override list(prefix: string, after: string | undefined, limit: number) {
      return realms.source.objects.list(prefix, after, limit);
    }
  }
  const stores = realms.stores();
  const engine = realms.engine({ realms: { ...stores, [SOURCE]: { ...stores[SOURCE]!, objects: new GatedStore() } }, batchSize: 2 });
  return { engine, reached: () => reads >= n, release };
}

describe('a commit during a status poll', () => {
  it('is refused while the poll is still copying, changes nothing, and the migration commits afterwards', async () => {
    const t = await realms.seed('commit-mid-poll', 6, 4);
    const id = 'm-commit-mid-poll';
    // The start copies a little and leaves the rest to the polls.
    const first = realms.engine({ batchSize: 2, batchesPerPoll: 1 });
    await first.schedule(t.clientKey, request(id));
    await first.start(t.clientKey, request(id));
    // The poll copies the remaining items, then waits at the second object.
    const slow = gatedEngine(2);
    realms.clock.advance(5 * 60_000);
    let settled = false;
    const polling = slow.engine.status(t.clientKey, id).finally(() => (settled = true));
    while (!slow.reached() && !settled) await new Promise((r) => setTimeout(r, 5));
    expect(slow.reached()).toBe(true);
    const before = [await mine(t)(realms.source), objectsOf(realms.source, t), await realms.directory.realmOf(t.clientKey)];
    expect(await refusal(realms.engine().commit(t.clientKey, id))).toMatchObject({ status: 409, code: 'E9999' });
    expect([await mine(t)(realms.source), objectsOf(realms.source, t), await realms.directory.realmOf(t.clientKey)]).toEqual(before);
    slow.release();
    expect(['in-progress', 'ready-to-commit']).toContain((await polling).status);
    expect((await pollUntilSettled(realms.engine(), realms.clock, t.clientKey, id)).status).toEqual({ status: 'ready-to-commit' });
    await realms.engine().commit(t.clientKey, id);
    await expectCommitted(t, 4);
    expect(await realms.engine().status(t.clientKey, id)).toEqual({ status: 'committed' });
  });

  it('of a ready migration: both answer consistently, and the tenant ends up committed', async () => {
    for (let round = 0; round < 3; round++) {
      const t = await realms.seed(`commit-with-poll-${round}`, 5, 2);
      const id = `m-commit-with-poll-${round}`;
      const engine = realms.engine();
      await engine.schedule(t.clientKey, request(id));
      await engine.start(t.clientKey, request(id));
      expect((await pollUntilSettled(engine, realms.clock, t.clientKey, id)).status).toEqual({ status: 'ready-to-commit' });
      // Two instances at once; the poll starts first in half the rounds, the commit in the other half.
      const status = () => realms.engine().status(t.clientKey, id);
      const commit = () => realms.engine().commit(t.clientKey, id);
      const polled = round % 2 === 0 ? (await Promise.all([status(), commit()]))[0] : (await Promise.all([commit(), status()]))[1];
      expect(['ready-to-commit', 'committed']).toContain(polled.status);
      await expectCommitted(t, 2);
      expect(await realms.engine().status(t.clientKey, id)).toEqual({ status: 'committed' });
      await realms.engine().commit(t.clientKey, id); // Atlassian's retry of the commit: a no-op
      await expectCommitted(t, 2);
    }
  });
});
