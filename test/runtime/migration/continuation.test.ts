import { allItems } from '../../helpers/all-items';
import { MigrationEngine, MigrationEngineProps, tenantObjectPrefix } from '../../../runtime/migration';
import { TenantObjects } from '../../../runtime/objects';
import { TenantFrozenError } from '../../../runtime/tenants/data-errors';
import { TenantKeyUnavailableError } from '../../../runtime/tenants/tenant';
import { request, SOURCE, TARGET, Tenant, TwoRealms } from './two-realms';

// The copy and the deletions run on their own after the hook answers: continuations are
// queued here (as the function's asynchronous self-invokes would be) and delivered by the
// test, once, twice at the same time, or not at all.

jest.setTimeout(400_000);

let realms: TwoRealms;
beforeAll(async () => {
  realms = await TwoRealms.start();
});
afterAll(() => realms.close());

/** The continuations sent, as the Lambda service would hold them until it delivers them. */
class Queue {
  public readonly sent: Array<[string, string]> = [];
  public failing = false;
  public readonly continuation: NonNullable<MigrationEngineProps['continuation']> = async (tenant, id) => {
    if (this.failing) throw new Error('Lambda refused the invoke');
    this.sent.push([tenant, id]);
  };
  /** Delivers every continuation sent (and those they send), each `copies` times at once, until none is left. */
  public async drain(engine: () => MigrationEngine, copies = 1): Promise<number> {
    let delivered = 0;
    while (this.sent.length > 0) {
      const [tenant, id] = this.sent.shift()!;
      await Promise.all(Array.from({ length: copies }, () => engine().advance(tenant, id)));
      delivered++;
    }
    return delivered;
  }
}

const mine = (t: Tenant) => async (r: TwoRealms['source']) => (await realms.tenantItems(r)).filter((i) => JSON.stringify(i).includes(t.clientKey));
const objectsOf = (r: TwoRealms['source'], t: Tenant) => r.objects.keys().filter((k) => k.startsWith(tenantObjectPrefix(t.clientKey)));

async function expectCommitted(t: Tenant, objects: number): Promise<void> {
  const store = realms.freshStore(realms.target);
  expect(await store.sharedSecret(t.clientKey)).toBe(t.sharedSecret);
  const items = await allItems(store.dataFor(t.clientKey));
  expect(items.map((i) => i.id).sort()).toEqual([...t.ids]);
  for (const item of items) expect(item.value).toMatchObject({ text: `value of ${item.id} of ${t.clientKey.slice('client-'.length)}` });
  expect(objectsOf(realms.target, t)).toHaveLength(objects);
  expect(await mine(t)(realms.source)).toEqual([]);
  expect(objectsOf(realms.source, t)).toEqual([]);
  expect(await realms.directory.realmOf(t.clientKey)).toBe(TARGET);
}

describe('a migration that runs on its own', () => {
  it('copies after start answered, with status only reporting, and deletes the source after commit answered', async () => {
    const t = await realms.seed('self', 120, 5);
    const queue = new Queue();
    const engine = () => realms.engine({ continuation: queue.continuation, batchSize: 25, parallelism: 3 });
    await engine().schedule(t.clientKey, request('m-self'));
    await engine().start(t.clientKey, request('m-self'));
    expect(await mine(t)(realms.target)).toEqual([]);
    // Polls do no copying: the target stays empty until the continuations run.
    for (let i = 0; i < 3; i++) expect(await engine().status(t.clientKey, 'm-self')).toEqual({ status: 'in-progress' });
    expect(await mine(t)(realms.target)).toEqual([]);
    expect(await queue.drain(engine)).toBeGreaterThanOrEqual(1);
    expect(await engine().status(t.clientKey, 'm-self')).toEqual({ status: 'ready-to-commit' });

    await engine().commit(t.clientKey, 'm-self');
    // Answered once the directory moved: the source copy is still there, and status says so.
    expect(await realms.directory.realmOf(t.clientKey)).toBe(TARGET);
    expect((await mine(t)(realms.source)).length).toBeGreaterThan(0);
    expect(await engine().status(t.clientKey, 'm-self')).toEqual({ status: 'committing' });
    await queue.drain(engine);
    expect(await engine().status(t.clientKey, 'm-self')).toEqual({ status: 'committed' });
    await expectCommitted(t, 5);
    expect(await realms.slots()).toEqual([]);
  });

  it('hands over from one continuation to the next when its budget ends, and stays consistent when every one is delivered twice at once', async () => {
    const t = await realms.seed('twice', 90, 4);
    const queue = new Queue();
    // A clock that moves 50 ms whenever it is read: a budget of 400 ms ends after a few batches.
    const engine = () => realms.engine({
      continuation: queue.continuation, continueBudgetMs: 400, batchSize: 10, parallelism: 2, leaseMs: 3000,
      now: () => (realms.clock.ms += 50),
    });
    await engine().schedule(t.clientKey, request('m-twice'));
    await engine().start(t.clientKey, request('m-twice'));
    const delivered = await queue.drain(engine, 2);
    expect(delivered).toBeGreaterThan(3);
    expect(await engine().status(t.clientKey, 'm-twice')).toEqual({ status: 'ready-to-commit' });
    await engine().commit(t.clientKey, 'm-twice');
    await queue.drain(engine, 2);
    expect(await engine().status(t.clientKey, 'm-twice')).toEqual({ status: 'committed' });
    await expectCommitted(t, 4);
  });

  it('stops its chain on a connection reset (which the SDK names TimeoutError), for the next status poll to start again', async () => {
    const t = await realms.seed('reset', 30, 0);
    const queue = new Queue();
    const engine = () => realms.engine({ continuation: queue.continuation, batchSize: 10 });
    await engine().schedule(t.clientKey, request('m-reset'));
    await engine().start(t.clientKey, request('m-reset'));
    let resets = 1;
    realms.target.table.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'BatchWriteItemCommand' && resets-- > 0) throw Object.assign(new Error('read ECONNRESET'), { name: 'TimeoutError' });
        return next(args);
      },
      { step: 'initialize', name: 'reset' },
    );
    try {
      const [tenant, id] = queue.sent.shift()!;
      await engine().advance(tenant, id);
      // No progress, so no next continuation: a lease's worth later a poll starts it again.
      expect(queue.sent).toEqual([]);
      realms.clock.advance(60_000);
      expect(await engine().status(t.clientKey, 'm-reset')).toEqual({ status: 'in-progress' });
      expect(queue.sent).toEqual([[t.clientKey, 'm-reset']]);
      await queue.drain(engine);
      expect(await engine().status(t.clientKey, 'm-reset')).toEqual({ status: 'ready-to-commit' });
    } finally {
      realms.target.table.client.middlewareStack.remove('reset');
    }
  });

  it('is started again by a status poll when a continuation was lost', async () => {
    const t = await realms.seed('lost', 30, 1);
    const queue = new Queue();
    const engine = () => realms.engine({ continuation: queue.continuation, batchSize: 10 });
    await engine().schedule(t.clientKey, request('m-lost'));
    queue.failing = true;
    await engine().start(t.clientKey, request('m-lost'));
    expect(queue.sent).toEqual([]);
    queue.failing = false;
    realms.clock.advance(5 * 60_000);
    expect(await engine().status(t.clientKey, 'm-lost')).toEqual({ status: 'in-progress' });
    expect(queue.sent).toEqual([[t.clientKey, 'm-lost']]);
    await queue.drain(engine);
    expect(await engine().status(t.clientKey, 'm-lost')).toEqual({ status: 'ready-to-commit' });
  });

  it('rolls back during a slow batch: the copy it interrupted writes nothing after rollback answered, and the source is as it was', async () => {
    const t = await realms.seed('slow', 60, 2);
    const before = await mine(t)(realms.source);
    const queue = new Queue();
    const engine = () => realms.engine({ continuation: queue.continuation, batchSize: 10, parallelism: 2, leaseMs: 3000 });
    await engine().schedule(t.clientKey, request('m-slow'));
    await engine().start(t.clientKey, request('m-slow'));
    // The copy stalls after reading its third page of the source (between reading and writing it).
    let pages = 0;
    let release!: () => void;
    const stalled = new Promise<void>((r) => (release = r));
    let reached!: () => void;
    const atStall = new Promise<void>((r) => (reached = r));
    const gate = (next: any, context: any) => async (args: any) => {
      if (context.commandName === 'QueryCommand' && ++pages === 3) {
        reached();
        await stalled;
      }
      return next(args);
    };
    realms.source.table.client.middlewareStack.add(gate, { step: 'initialize', name: 'stall' });
    const [tenant, id] = queue.sent.shift()!;
    const copy = engine().advance(tenant, id);
    await atStall;
    realms.source.table.client.middlewareStack.remove('stall');

    await engine().rollback(t.clientKey, 'm-slow');
    const answeredAt = await mine(t)(realms.target);
    // The rollback answered past the copy's lease: the copy, let go now, sends no write.
    release();
    await copy;
    expect(await mine(t)(realms.target)).toEqual(answeredAt);
    expect(await engine().status(t.clientKey, 'm-slow')).toEqual({ status: 'rolling-back' });
    await queue.drain(engine);
    expect(await engine().status(t.clientKey, 'm-slow')).toEqual({ status: 'rolled-back' });
    expect(await mine(t)(realms.target)).toEqual([]);
    expect(objectsOf(realms.target, t)).toEqual([]);
    expect(await mine(t)(realms.source)).toEqual(before);
    // The tenant writes again in the source as soon as the rollback answered.
    await realms.freshStore(realms.source).dataFor(t.clientKey).put('after-rollback', { ok: true });
    expect(await realms.directory.realmOf(t.clientKey)).toBe(SOURCE);
  });

  it('ends consistent when a crash comes after any write, the continuations re-driven by status polls', async () => {
    /** Runs `call` until it does not crash, as Atlassian's retries (and Lambda's restarts) would. */
    const retried = async <T>(call: () => Promise<T>): Promise<T> => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await call();
        } catch (err) {
          if ((err as Error).message !== 'injected crash' || attempt > 5) throw err;
          realms.clock.advance(5_000);
        }
      }
    };
    let n = 1;
    try {
      for (; ; n++) {
        const t = await realms.seed(`kill-${n}`, 8, 2);
        const id = `m-kill-${n}`;
        const queue = new Queue();
        const engine = () => realms.engine({ continuation: queue.continuation, batchSize: 4, parallelism: 2 });
        const until = async (status: string) => {
          for (let polls = 0; polls < 40; polls++) {
            await retried(() => queue.drain(engine));
            realms.clock.advance(5 * 60_000);
            if ((await retried(() => engine().status(t.clientKey, id))).status === status) return;
          }
          throw new Error(`migration ${id} never reached ${status}`);
        };
        realms.crash.arm(n, 'after');
        await retried(() => engine().schedule(t.clientKey, request(id)));
        await retried(() => engine().start(t.clientKey, request(id)));
        await until('ready-to-commit');
        await retried(() => engine().commit(t.clientKey, id));
        await until('committed');
        const crashed = realms.crash.count >= n;
        realms.crash.disarm();
        await expectCommitted(t, 2);
        // Its slot is released (another test of this file leaves its own migration open).
        expect((await realms.slots()).filter((slot) => JSON.stringify(slot).includes(t.clientKey))).toEqual([]);
        if (!crashed) break;
      }
    } finally {
      realms.crash.disarm();
    }
    expect(n).toBeGreaterThan(30); // it crashed after every write of a whole migration before this run
  });

  it('refuses the tenant\'s data and object writes in the source in every phase, from the copy to the end of the commit', async () => {
    const t = await realms.seed('phases', 60, 3);
    const queue = new Queue();
    const engine = () => realms.engine({ continuation: queue.continuation, continueBudgetMs: 300, batchSize: 10, parallelism: 2, now: () => (realms.clock.ms += 50) });
    const warm = realms.freshStore(realms.source);
    await warm.dataFor(t.clientKey).get(t.ids[0]!); // the instance's caches are warm
    const objects = new TenantObjects({ tenant: t.clientKey, store: realms.source.objects, admitWrite: (until) => warm.admitObjectWrite(t.clientKey, until) });
    const phases = new Set<string>();
    const refusedNow = async () => {
      const data = await warm.dataFor(t.clientKey).put('late', 1).then(() => 'written', (e: unknown) => e);
      expect(data instanceof TenantFrozenError || data instanceof TenantKeyUnavailableError).toBe(true);
      expect(await objects.put('late.txt', 'late').then(() => 'written', (e: unknown) => e)).toBeInstanceOf(TenantFrozenError);
      phases.add((await engine().status(t.clientKey, 'm-phases')).status);
    };
    await engine().schedule(t.clientKey, request('m-phases'));
    await engine().start(t.clientKey, request('m-phases'));
    const drainChecking = async () => {
      while (queue.sent.length > 0) {
        const [tenant, id] = queue.sent.shift()!;
        await engine().advance(tenant, id);
        await refusedNow();
      }
    };
    await drainChecking();
    await engine().commit(t.clientKey, 'm-phases');
    await refusedNow();
    await drainChecking();
    expect([...phases]).toEqual(expect.arrayContaining(['in-progress', 'ready-to-commit', 'committing', 'committed']));
    await expectCommitted(t, 3);
  });
});
