/**
 * Sustained directory writes: `installs` tenants (5 realms) recorded at once through each
 * realm's relay (hashing in the realm) and `instances` writer instances (the writer function
 * scaled out) sharing one KeyValueStore stand-in with ETag semantics and random latency.
 */
import { randomUUID } from 'node:crypto';
import { CloudFrontKeyValueStoreClient } from '@aws-sdk/client-cloudfront-keyvaluestore';
import { FunctionDirectory, HashedFunctionDirectory, KeyValueStoreDirectory, directoryRequestHandler, reconcileByRange, slotRequestHandler, tenantSlot } from '../runtime/directory';
import { FakeStore } from '../test/helpers/fake-kvs';
import { lambdaRunning } from '../test/helpers/lambda-running';

const KEY = 'Q7v2Lm9XcR4tWb8NzK3pYh6JdF1sGa5E0uVoTi2CxMn7BqHk4ZlPw9SeDj3Ry8Ug';
const KVS_ARN = 'arn:aws:cloudfront::123456789012:key-value-store/0a1b2c3d-4e5f-6789-abcd-ef0123456789';
const WRITER = 'arn:aws:lambda:us-east-1:123456789012:function:Bench-tenant-directory';
const REALMS = ['Global', 'EU', 'US', 'AU', 'DE'];

export interface WriteFigures {
  readonly lost: number;
  readonly writes: number;
  readonly conflicts: number;
  readonly seconds: number;
}

export async function sustainedWrites(installs: number, instances: number, latencyMs: number): Promise<WriteFigures> {
  const store = new FakeStore(latencyMs);
  const kvs = new CloudFrontKeyValueStoreClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  store.install(kvs);
  // Each writer instance gets the budget of the deployed writer (4.5 s) per request.
  const writers = Array.from({ length: instances }, () => slotRequestHandler(new KeyValueStoreDirectory({ kvsArn: KVS_ARN, client: kvs, directoryKey: async () => KEY }), REALMS));
  let next = 0;
  const writerClient = lambdaRunning({ [WRITER]: (event) => writers[next++ % instances]!(event) });
  const relayName = (realm: string) => `Bench-${realm}-relay`;
  const relayClient = lambdaRunning(
    Object.fromEntries(REALMS.map((r) => [relayName(r), directoryRequestHandler(new HashedFunctionDirectory({ functionName: WRITER, client: writerClient, directoryKey: async () => KEY }))])),
  );
  const apps = Object.fromEntries(REALMS.map((r) => [r, new FunctionDirectory({ functionName: relayName(r), client: relayClient })]));
  const tenants = Array.from({ length: installs }, (_, i) => ({ id: randomUUID(), realm: REALMS[i % REALMS.length]! }));
  const start = process.hrtime.bigint();
  const results = await Promise.allSettled(tenants.map((t) => apps[t.realm]!.setRealm(t.id, t.realm)));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  // Lost: a failed install, or one the store does not hold.
  const reader = new KeyValueStoreDirectory({ kvsArn: KVS_ARN, client: kvs, directoryKey: async () => KEY });
  let lost = 0;
  for (const [i, t] of tenants.entries()) if (results[i]!.status === 'rejected' || (await reader.realmOfSlot(tenantSlot(t.id, KEY))) !== t.realm) lost++;
  return { lost, writes: store.writes, conflicts: store.conflicts, seconds };
}

/** One sweep's reconcile of every realm, as the writer saw it. */
export interface SweepFigures {
  readonly calls: number;
  /** The most one writer call read (GetKey) and wrote (UpdateKeys), and took. */
  readonly maxCallReads: number;
  readonly maxCallUpdates: number;
  readonly maxCallMs: number;
  /** Over the whole sweep: store reads (GetKey), UpdateKeys, records removed. */
  readonly reads: number;
  readonly updates: number;
  readonly removed: number;
  readonly seconds: number;
}

export interface ReconcileFigures {
  readonly tenants: number;
  readonly full: SweepFigures;
  readonly stale: SweepFigures;
}

/**
 * The realms' scheduled reconcile (what `RealmSweep` runs, `reconcileByRange`): each of 5 realms
 * sends its tenants through its relay (hashing in the realm) to the writer range by range, first
 * into an empty store (every slot added), then again after 1% of each realm's tenants were
 * uninstalled without their `remove` reaching the directory (only those stale entries go). The
 * realms run one after another so each writer call's store work is its own; the second listing's
 * wait (`settleMs`) is 0 here.
 */
export async function reconcileSweep(perRealm: number, latencyMs: number): Promise<ReconcileFigures> {
  const store = new FakeStore(latencyMs);
  const kvs = new CloudFrontKeyValueStoreClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  store.install(kvs);
  const writer = slotRequestHandler(new KeyValueStoreDirectory({ kvsArn: KVS_ARN, client: kvs, directoryKey: async () => KEY }), REALMS);
  let call = { reads: 0, updates: 0, ms: 0 };
  let max = { ...call };
  const writerClient = lambdaRunning({
    [WRITER]: async (event) => {
      const before = { reads: store.reads, updates: store.writes, at: process.hrtime.bigint() };
      const answer = await writer(event);
      call = { reads: store.reads - before.reads, updates: store.writes - before.updates, ms: Number(process.hrtime.bigint() - before.at) / 1e6 };
      max = { reads: Math.max(max.reads, call.reads), updates: Math.max(max.updates, call.updates), ms: Math.max(max.ms, call.ms) };
      return answer;
    },
  });
  const relayName = (realm: string) => `Bench-${realm}-relay`;
  const relayClient = lambdaRunning(
    Object.fromEntries(REALMS.map((r) => [relayName(r), directoryRequestHandler(new HashedFunctionDirectory({ functionName: WRITER, client: writerClient, directoryKey: async () => KEY }))])),
  );
  const lists = Object.fromEntries(REALMS.map((r) => [r, Array.from({ length: perRealm }, () => randomUUID())]));
  const sweep = async (): Promise<SweepFigures> => {
    max = { reads: 0, updates: 0, ms: 0 };
    const before = { reads: store.reads, updates: store.writes };
    const start = process.hrtime.bigint();
    let removed = 0;
    let calls = 0;
    for (const r of REALMS) {
      const directory = new FunctionDirectory({ functionName: relayName(r), client: relayClient });
      const result = await reconcileByRange({ realm: r, directory, listed: lists[r]!, relist: async () => lists[r]!, settleMs: 0 });
      removed += result.removed;
      calls += result.calls;
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return { calls, maxCallReads: max.reads, maxCallUpdates: max.updates, maxCallMs: max.ms, reads: store.reads - before.reads, updates: store.writes - before.updates, removed, seconds };
  };
  const full = await sweep();
  for (const r of REALMS) lists[r] = lists[r]!.slice(Math.ceil(perRealm / 100));
  const stale = await sweep();
  return { tenants: perRealm * REALMS.length, full, stale };
}
