import { RECONCILE_MAX_BUCKETS, bucketIndex, bucketRanges } from './bucket-range';
import { MAX_SLOTS_PER_REQUEST, ReconcilingDirectory } from './directory-request';
import { slotOfString } from './slot-request';

/** What {@link reconcileByRange} works from. */
export interface ReconcileByRangeInput {
  /** The realm whose records are reconciled. */
  readonly realm: string;
  /** The directory through the realm's relay (which hashes the ids in the realm). */
  readonly directory: Pick<ReconcilingDirectory, 'slotsOf' | 'reconcile'>;
  /** The realm's installed and disabled tenants, as listed when the sweep began. */
  readonly listed: readonly string[];
  /** Lists them again (asked only when the directory holds records the first listing lacks). */
  readonly relist: () => Promise<readonly string[]>;
  /**
   * How long to wait after the first pass before listing again, in milliseconds: longer than an
   * install hook runs (the app function's 15 s timeout), since a hook writes the directory entry
   * before the tenant record.
   * @default 20000
   */
  readonly settleMs?: number;
}

/** What a realm's reconcile did, summed over its calls. */
export interface RealmReconcileResult {
  /** Slots of the realm that were missing and are now recorded. */
  readonly added: number;
  /** Stale records of the realm removed (absent from both listings). */
  readonly removed: number;
  /** Slots the realm holds that another realm's record occupies. */
  readonly elsewhere: number;
  /** Records absent from the first listing but present in the second (installed during the sweep), kept. */
  readonly kept: number;
  /** Reconcile calls to the writer, each over at most {@link RECONCILE_MAX_BUCKETS} buckets. */
  readonly calls: number;
  /** Buckets the writer read, and rewrote, over all calls. */
  readonly bucketsRead: number;
  readonly bucketsWritten: number;
}

/**
 * Reconciles the directory's records of a realm to its tenants one range of 512 buckets at a
 * time, so each writer call reads and writes a bounded number of keys however large the realm:
 * 32 calls cover the directory. The first pass only adds; a record of the realm the first
 * listing lacks could be a tenant installed since (its hook writes the directory first), so it
 * is removed only if a second listing, taken `settleMs` after the first pass, lacks it too.
 * Tenant ids go only to the relay, in batches of 5,000; the writer sees slots.
 */
export async function reconcileByRange(input: ReconcileByRangeInput): Promise<RealmReconcileResult> {
  const ranges = bucketRanges(RECONCILE_MAX_BUCKETS);
  const slotsByRange = async (ids: readonly string[]): Promise<string[][]> => {
    const out = ranges.map((): string[] => []);
    for (let i = 0; i < ids.length; i += MAX_SLOTS_PER_REQUEST) {
      for (const slot of await input.directory.slotsOf(ids.slice(i, i + MAX_SLOTS_PER_REQUEST))) {
        const parsed = slotOfString(slot);
        if (!parsed) throw new Error(`Directory reconcile of ${input.realm}: the relay answered a slot that is not a bucket and fingerprint`);
        out[Math.floor(bucketIndex(parsed.bucket) / RECONCILE_MAX_BUCKETS)]!.push(slot);
      }
    }
    return out;
  };
  const total = { added: 0, removed: 0, elsewhere: 0, kept: 0, calls: 0, bucketsRead: 0, bucketsWritten: 0 };
  const elsewhere = ranges.map(() => 0);
  const call = async (i: number, slots: readonly string[], remove?: readonly string[]) => {
    const r = await input.directory.reconcile(input.realm, ranges[i]!, slots, remove);
    total.calls++;
    total.added += r.added;
    total.removed += r.removed;
    elsewhere[i] = r.elsewhere; // a range done twice counts its second answer
    total.bucketsRead += r.bucketsRead;
    total.bucketsWritten += r.bucketsWritten;
    return r;
  };
  const first = await slotsByRange(input.listed);
  const candidates = new Map<number, readonly string[]>();
  for (let i = 0; i < ranges.length; i++) {
    const { stale } = await call(i, first[i]!);
    if (stale.length > 0) candidates.set(i, stale);
  }
  if (candidates.size === 0) return { ...total, elsewhere: elsewhere.reduce((n, e) => n + e, 0) };
  await new Promise((r) => setTimeout(r, input.settleMs ?? 20_000));
  const fresh = await slotsByRange(await input.relist());
  for (const [i, stale] of candidates) {
    const now = new Set(fresh[i]);
    const remove = stale.filter((s) => !now.has(s));
    total.kept += stale.length - remove.length;
    await call(i, fresh[i]!, remove);
  }
  return { ...total, elsewhere: elsewhere.reduce((n, e) => n + e, 0) };
}
