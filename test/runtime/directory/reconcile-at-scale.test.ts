import { randomUUID } from 'node:crypto';
import { CloudFrontKeyValueStoreClient } from '@aws-sdk/client-cloudfront-keyvaluestore';
import {
  DIRECTORY_LAYOUT,
  FunctionDirectory,
  HashedFunctionDirectory,
  KeyValueStoreDirectory,
  RECONCILE_MAX_BUCKETS,
  buildDirectoryImage,
  directoryRequestHandler,
  onlyRealms,
  reconcileByRange,
  slotRequestHandler,
} from '../../../runtime/directory';
import { sweepRealm } from '../../../runtime/lifecycle';
import type { RecordSummary } from '../../../runtime/tenants/tenant-table';
import { FakeStore } from '../../helpers/fake-kvs';
import { lambdaRunning } from '../../helpers/lambda-running';
import { WRITER, KVS_ARN, KEY, REALMS } from '../../helpers/directory-fixture';

const relayName = (realm: string) => `arn:aws:lambda:eu-central-1:123456789012:function:Demo-${realm}-relay`;
// What one writer call may cost whatever the realm's size: its range read once, the changed buckets
// re-read at write time, and UpdateKeys of 50 buckets each.
const MAX_READS_PER_CALL = 2 * RECONCILE_MAX_BUCKETS;
const MAX_UPDATES_PER_CALL = Math.ceil(RECONCILE_MAX_BUCKETS / 50);

interface WriterCall {
  readonly event: Record<string, unknown>;
  readonly reads: number;
  readonly lists: number;
  readonly updates: number;
}

/** The deployed chain: per realm, sweep -> relay (hashing with the key) -> one writer over a KeyValueStore with ETags; each writer call's store work is counted. */
function deployment(beforeWriterCall: (event: Record<string, unknown>) => Promise<void> = async () => {}) {
  const store = new FakeStore(0);
  const kvs = new CloudFrontKeyValueStoreClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  store.install(kvs);
  const writer = slotRequestHandler(new KeyValueStoreDirectory({ kvsArn: KVS_ARN, client: kvs, directoryKey: async () => KEY }), REALMS);
  const calls: WriterCall[] = [];
  const writerClient = lambdaRunning({
    [WRITER]: async (event) => {
      await beforeWriterCall(event as Record<string, unknown>);
      const before = { reads: store.reads, lists: store.lists, updates: store.writes };
      const answer = await writer(event);
      calls.push({ event: event as Record<string, unknown>, reads: store.reads - before.reads, lists: store.lists - before.lists, updates: store.writes - before.updates });
      return answer;
    },
  });
  const relayClient = lambdaRunning(
    Object.fromEntries(
      REALMS.map((realm) => [
        relayName(realm),
        directoryRequestHandler(onlyRealms(new HashedFunctionDirectory({ functionName: WRITER, client: writerClient, directoryKey: async () => KEY }), [realm])),
      ]),
    ),
  );
  const relay = (realm: string) => new FunctionDirectory({ functionName: relayName(realm), client: relayClient });
  return { store, calls, relay };
}

/** The store's bucket entries (the reserved key entry left out). */
function buckets(store: FakeStore): Map<string, string> {
  return new Map([...store.entries].filter(([key]) => key !== DIRECTORY_LAYOUT.keyEntry));
}

function imageEntries(entries: Array<{ tenantId: string; realm: string }>): Map<string, string> {
  const { data } = JSON.parse(buildDirectoryImage(entries, KEY).json) as { data: Array<{ key: string; value: string }> };
  return new Map(data.map(({ key, value }) => [key, value]));
}

const listing = (records: RecordSummary[]) =>
  async function* () {
    yield* records;
  };
const noShreds = { shred: async () => Promise.reject(new Error('no tenant is due for a shred in this test')) };

describe('the directory reconcile at scale', () => {
  it('reconciles 50,000 tenants across 5 realms in calls of bounded work: stale entries swept, lost installs restored, installs during the sweep kept', async () => {
    const realmOf = new Map<string, string>();
    const records = new Map(REALMS.map((realm) => [realm, [] as RecordSummary[]]));
    const fresh = new Map(REALMS.map((realm) => [realm, Array.from({ length: 20 }, () => randomUUID())]));
    // While each realm's sweep runs (at its first writer call, after its listing), 20 tenants install there:
    // the directory entry first, through the relay, then the record, as the install hook does.
    const installedDuring = new Set<string>();
    const { store, calls, relay } = deployment(async (event) => {
      const realm = event.realm as string;
      if (event.action !== 'reconcile' || installedDuring.has(realm)) return;
      installedDuring.add(realm);
      for (const id of fresh.get(realm)!) {
        await relay(realm).setRealm(id, realm);
        records.get(realm)!.push({ clientKey: id, state: 'installed' });
        realmOf.set(id, realm);
      }
    });
    const seeded: Array<{ tenantId: string; realm: string }> = [];
    let stale = 0;
    let lostInstalls = 0;
    for (let i = 0; i < 50_000; i++) {
      const realm = REALMS[i % REALMS.length]!;
      const tenantId = randomUUID();
      const nth = Math.floor(i / REALMS.length); // the tenant's place in its realm
      if (nth % 100 === 7) {
        // Uninstalled (and shredded) in its realm, but the remove never reached the directory.
        records.get(realm)!.push({ clientKey: tenantId, state: 'uninstalled', shredAfter: '2026-01-01T00:00:00Z', shreddedAt: '2026-01-02T00:00:00Z' });
        seeded.push({ tenantId, realm });
        stale++;
        continue;
      }
      records.get(realm)!.push({ clientKey: tenantId, state: i % 10 === 3 ? 'disabled' : 'installed' });
      realmOf.set(tenantId, realm);
      if (nth % 100 === 42) lostInstalls++; // the setRealm failed: in the realm, not in the directory
      else seeded.push({ tenantId, realm });
    }
    for (const [key, value] of imageEntries(seeded)) store.entries.set(key, value);
    expect(stale).toBe(500);

    const results: Array<Awaited<ReturnType<typeof sweepRealm>>> = [];
    for (const realm of REALMS) {
      results.push(await sweepRealm({ realm, records: listing(records.get(realm)!), store: noShreds, directory: relay(realm), settleMs: 0 }));
    }

    // The directory is exactly the tenants live now: stale entries gone, lost installs back, the sweep's installs kept,
    // and no realm's sweep touched another realm's records.
    expect(buckets(store)).toEqual(imageEntries([...realmOf].map(([tenantId, realm]) => ({ tenantId, realm }))));
    const sum = (k: 'added' | 'removed' | 'kept' | 'calls') => results.reduce((n, r) => n + r.reconciled![k], 0);
    expect({ added: sum('added'), removed: sum('removed'), kept: sum('kept') }).toEqual({ added: lostInstalls, removed: stale, kept: 5 * 20 });
    expect(results.map((r) => r.live)).toEqual(REALMS.map(() => 9_900)); // listed before the sweep's installs

    // Every writer call stayed within its budget: no store listing, its range read once, a bounded number of writes.
    const reconciles = calls.filter((c) => c.event.action === 'reconcile');
    expect(reconciles.length).toBe(sum('calls'));
    expect(reconciles.length).toBeLessThanOrEqual(5 * 2 * 32);
    expect(reconciles.every((c) => (c.event.to as number) - (c.event.from as number) <= RECONCILE_MAX_BUCKETS)).toBe(true);
    expect(Math.max(...reconciles.map((c) => c.reads))).toBeLessThanOrEqual(MAX_READS_PER_CALL);
    expect(Math.max(...reconciles.map((c) => c.updates))).toBeLessThanOrEqual(MAX_UPDATES_PER_CALL);
    expect(reconciles.reduce((n, c) => n + c.lists, 0)).toBe(0);
    // What left the realms: slots only (15 characters), never a tenant id.
    expect(calls.every((c) => Object.keys(c.event).every((k) => ['action', 'realm', 'from', 'to', 'slots', 'remove', 'bucket', 'fingerprint'].includes(k)))).toBe(true);
    const sent = calls.flatMap((c) => [...((c.event.slots as string[]) ?? []), ...((c.event.remove as string[]) ?? [])]);
    expect(sent.every((s) => s.length === 15)).toBe(true);
    const payloads = JSON.stringify(calls.slice(0, 40).map((c) => c.event));
    expect([...realmOf.keys()].slice(0, 500).filter((id) => payloads.includes(id))).toEqual([]);
  }, 180_000);

  it("removes a realm's stale record only when the second listing lacks it too, and never another realm's record", async () => {
    const { store, relay } = deployment();
    const [gone, late, us] = [randomUUID(), randomUUID(), randomUUID()];
    await relay('EU').setRealm(gone, 'EU');
    await relay('US').setRealm(us, 'US');
    // `late` is mid-install as the sweep starts: its hook has written the directory entry, not yet its record.
    await relay('EU').setRealm(late, 'EU');
    const euRecords: RecordSummary[] = [];
    let listings = 0;
    const records = async function* () {
      if (listings++ === 1) euRecords.push({ clientKey: late, state: 'installed' }); // the hook finished before the second listing
      yield* euRecords;
    };
    // The first pass sees both as candidates; the second listing holds `late`, so only `gone` goes.
    const first = await sweepRealm({ realm: 'EU', records, store: noShreds, directory: relay('EU'), settleMs: 0 });
    expect(listings).toBe(2);
    expect(first.reconciled).toMatchObject({ added: 0, removed: 1, kept: 1 });
    expect(buckets(store)).toEqual(imageEntries([{ tenantId: us, realm: 'US' }, { tenantId: late, realm: 'EU' }]));

    // An empty realm's sweep touches nothing of US; and a relay may not reconcile another realm.
    const au = await sweepRealm({ realm: 'AU', records: listing([]), store: noShreds, directory: relay('AU'), settleMs: 0 });
    expect(au.reconciled).toMatchObject({ added: 0, removed: 0, calls: 32, bucketsWritten: 0 });
    expect(buckets(store)).toEqual(imageEntries([{ tenantId: us, realm: 'US' }, { tenantId: late, realm: 'EU' }]));
    await expect(relay('EU').reconcile('US', { from: 0, to: 512 }, [], [])).rejects.toThrow(/is not one this function may record/);
  });

  it('stops with a clear error, writing nothing, when the relay answers a slot that is not one', async () => {
    const { store, calls } = deployment();
    const directory = { slotsOf: async (ids: readonly string[]) => ids.map(() => 'not-a-slot'), reconcile: async () => Promise.reject(new Error('not reached')) };
    await expect(reconcileByRange({ realm: 'EU', directory, listed: ['t-1'], relist: async () => [], settleMs: 0 })).rejects.toThrow(
      'Directory reconcile of EU: the relay answered a slot that is not a bucket and fingerprint',
    );
    expect([calls.length, store.writes]).toEqual([0, 0]);
  });
});
