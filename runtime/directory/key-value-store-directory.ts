// The KVS data plane signs with SigV4A; this registers the signer with the SDK.
import '@aws-sdk/signature-v4a';
import {
  CloudFrontKeyValueStoreClient,
  DescribeKeyValueStoreCommand,
  GetKeyCommand,
  PutKeyCommand,
  ResourceNotFoundException,
  UpdateKeysCommand,
} from '@aws-sdk/client-cloudfront-keyvaluestore';
import { formatBucket, parseBucket, realmCode } from './bucket-records';
import { BucketRange, bucketAt, bucketIndex, bucketRangeProblem } from './bucket-range';
import { DirectoryKeySource } from './directory-key';
import { DIRECTORY_LAYOUT } from './layout';
import type { ReconcileResult, SlotDirectory } from './slot-request';
import { TenantDirectory } from './tenant-directory';
import { TenantSlot, assertDirectoryKey, tenantSlot } from './tenant-slot';

/** Props of {@link KeyValueStoreDirectory}. */
export interface KeyValueStoreDirectoryProps {
  /** ARN of the edge stack's KeyValueStore. */
  readonly kvsArn: string;
  /** Where the directory key comes from, such as {@link secretsManagerDirectoryKey}. */
  readonly directoryKey: DirectoryKeySource;
  /**
   * The KVS data-plane client.
   * @default a `CloudFrontKeyValueStoreClient` (the service is global; requests are signed with SigV4A)
   */
  readonly client?: CloudFrontKeyValueStoreClient;
  /**
   * How long a change may keep retrying on ETag conflicts (backing off) before it fails, in
   * milliseconds. Keep it below the writer function's timeout so a failure is reported, not cut off.
   * @default 4500 (the deployed writer's timeout is 6 s)
   */
  readonly writeBudgetMs?: number;
}

/** A write that kept losing the optimistic-concurrency race for its whole budget, or a store written under another key. */
export class DirectoryWriteError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DirectoryWriteError';
  }
}

// Buckets per UpdateKeys: a conservative cap (the API documents no count, only its request size), 50 x 1 KB at most.
const MAX_BATCH = 50;
// Full-jitter exponential backoff: a retry waits a random time in [0, min(cap, base * 2^n)).
const BACKOFF_BASE_MS = 5;
// About a few store round trips: one writer wins each ETag, so losers retry soon, spread out, not late.
const BACKOFF_CAP_MS = 200;
// GetKeys in flight at once while a reconcile reads its range.
const READ_CONCURRENCY = 32;

interface Waiter {
  readonly edit: (records: Map<string, string>) => void;
  readonly deadline: number;
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
}

/**
 * The {@link TenantDirectory} deployed at the edge: the CloudFront KeyValueStore that the
 * edge router reads, laid out as in {@link DIRECTORY_LAYOUT}. It is also the
 * {@link SlotDirectory} the writer function serves: realms send it slots hashed at home.
 *
 * **Writes under load.** Every KVS write names the store's ETag (`IfMatch`), and every
 * write anywhere changes it, so concurrent writers conflict. Changes are queued per bucket
 * and written together: one DescribeKeyValueStore, the buckets read, every queued edit
 * applied, then one `UpdateKeys` of up to 50 buckets. On a conflict the batch is redone on
 * fresh data after a full-jitter exponential backoff, until `writeBudgetMs` runs out.
 * Concurrent changes to one bucket in one instance thus cost one write, not a race.
 *
 * **The directory key at the edge.** CloudFront Functions cannot call Secrets Manager, so
 * the function reads the key from the store's reserved entry `directory-key`. A writer
 * puts it there, read from the secret, before its first change ({@link ensureDirectoryKey});
 * until then the directory is empty and every request goes to Global anyway. So the key
 * is in no template, no asset, no custom-resource property and no log: only in Secrets
 * Manager (read by the writer and the realms' relays, which hash tenant ids at home) and
 * in the store, which is readable by the edge function and by IAM principals granted
 * `cloudfront-keyvaluestore:GetKey`, that is the writer. A leaked directory image (which
 * excludes the entry) reveals nothing. The key is a pseudonymisation key, not a
 * credential: it protects tenant ids, not access.
 */
export class KeyValueStoreDirectory implements TenantDirectory, SlotDirectory {
  private readonly kvsArn: string;
  private readonly client: CloudFrontKeyValueStoreClient;
  private readonly source: DirectoryKeySource;
  private readonly budgetMs: number;
  private readonly queue = new Map<string, Waiter[]>();
  private flushing = false;
  private ensured?: Promise<string>;

  constructor(props: KeyValueStoreDirectoryProps) {
    if (typeof props?.kvsArn !== 'string' || !/^arn:aws[a-z-]*:cloudfront::\d{12}:key-value-store\/[A-Za-z0-9-]+$/.test(props.kvsArn)) {
      throw new TypeError(`KeyValueStoreDirectory needs the ARN of a CloudFront KeyValueStore; found ${JSON.stringify(String(props?.kvsArn).slice(0, 200))}`);
    }
    const budget = props.writeBudgetMs ?? 4500;
    if (!Number.isFinite(budget) || budget < 0) throw new RangeError(`KeyValueStoreDirectory writeBudgetMs must be a number of milliseconds >= 0; found ${budget}`);
    this.kvsArn = props.kvsArn;
    this.source = props.directoryKey;
    this.client = props.client ?? new CloudFrontKeyValueStoreClient({});
    this.budgetMs = budget;
  }

  /** {@inheritDoc TenantDirectory.setRealm} */
  public async setRealm(tenantId: string, realm: string): Promise<void> {
    realmCode(realm);
    await this.setSlot(tenantSlot(tenantId, await this.ensureDirectoryKey()), realm);
  }

  /** {@inheritDoc TenantDirectory.remove} */
  public async remove(tenantId: string): Promise<void> {
    await this.removeSlot(tenantSlot(tenantId, await this.ensureDirectoryKey()));
  }

  /** {@inheritDoc TenantDirectory.realmOf} */
  public async realmOf(tenantId: string): Promise<string | undefined> {
    return this.realmOfSlot(tenantSlot(tenantId, await this.directoryKey()));
  }

  /** {@inheritDoc SlotDirectory.setSlot} */
  public async setSlot(slot: TenantSlot, realm: string): Promise<void> {
    realmCode(realm);
    await this.ensureDirectoryKey();
    await this.enqueue(slot.bucket, (records) => records.set(slot.fingerprint, realm));
  }

  /** {@inheritDoc SlotDirectory.removeSlot} */
  public async removeSlot(slot: TenantSlot): Promise<void> {
    await this.ensureDirectoryKey();
    await this.enqueue(slot.bucket, (records) => records.delete(slot.fingerprint));
  }

  /** {@inheritDoc SlotDirectory.realmOfSlot} */
  public async realmOfSlot(slot: TenantSlot): Promise<string | undefined> {
    return parseBucket(slot.bucket, await this.value(slot.bucket)).get(slot.fingerprint);
  }

  /**
   * {@inheritDoc SlotDirectory.reconcileRealm}
   * Reads each bucket of `range` (GetKey, 32 at a time; never the whole store) and writes only
   * the buckets that change. A record of another realm is never touched: that realm's own
   * reconcile removes it if stale, and the next reconcile here adds a slot it held. Each edit is
   * applied to the bucket as it is at write time, so a write since the read is not undone.
   */
  public async reconcileRealm(realm: string, range: BucketRange, slots: readonly TenantSlot[], remove: readonly TenantSlot[] = []): Promise<ReconcileResult> {
    realmCode(realm);
    const problem = bucketRangeProblem(range?.from, range?.to);
    if (problem) throw new RangeError(`reconcileRealm: ${problem}`);
    await this.ensureDirectoryKey();
    const byBucket = (list: readonly TenantSlot[]) => {
      const out = new Map<string, Set<string>>();
      for (const { bucket, fingerprint } of list) {
        const at = bucketIndex(bucket);
        if (at < range.from || at >= range.to) throw new RangeError(`reconcileRealm: slot bucket ${bucket} lies outside buckets ${range.from} to ${range.to}`);
        let set = out.get(bucket);
        if (!set) out.set(bucket, (set = new Set()));
        set.add(fingerprint);
      }
      return out;
    };
    const wanted = byBucket(slots);
    const gone = byBucket(remove);
    const stored = await this.bucketsOf(range);
    const figures = new Map<string, { added: number; removed: number; elsewhere: number; stale: string[] }>();
    const edits: Array<Promise<void>> = [];
    const none = new Set<string>();
    for (const [bucket, value] of stored) {
      const want = wanted.get(bucket) ?? none;
      const drop = gone.get(bucket) ?? none;
      const edit = (records: Map<string, string>) => {
        const f = { added: 0, removed: 0, elsewhere: 0, stale: [] as string[] };
        for (const [fingerprint, at] of records) {
          if (at !== realm || want.has(fingerprint)) continue;
          if (drop.has(fingerprint)) records.delete(fingerprint), f.removed++;
          else f.stale.push(bucket + fingerprint);
        }
        for (const fingerprint of want) {
          const at = records.get(fingerprint);
          if (at === undefined) records.set(fingerprint, realm), f.added++;
          else if (at !== realm) f.elsewhere++;
        }
        figures.set(bucket, f);
      };
      edit(parseBucket(bucket, value));
      if (figures.get(bucket)!.added + figures.get(bucket)!.removed > 0) edits.push(this.enqueue(bucket, edit));
    }
    await Promise.all(edits);
    const all = [...figures.values()];
    const sum = (k: 'added' | 'removed' | 'elsewhere') => all.reduce((n, f) => n + f[k], 0);
    return { added: sum('added'), removed: sum('removed'), elsewhere: sum('elsewhere'), bucketsWritten: edits.length, bucketsRead: stored.size, stale: all.flatMap((f) => f.stale) };
  }

  /**
   * Makes sure the store's reserved entry holds the directory key, writing it when it is
   * missing (once per instance). Returns the key.
   * @throws DirectoryWriteError when the entry holds another key: the store was written
   *   under a different secret, and mixing keys would misroute every tenant
   */
  public ensureDirectoryKey(): Promise<string> {
    this.ensured ??= this.writeKeyEntry().catch((e: unknown) => {
      this.ensured = undefined;
      throw e;
    });
    return this.ensured;
  }

  private async writeKeyEntry(): Promise<string> {
    const key = await this.directoryKey();
    const entry = DIRECTORY_LAYOUT.keyEntry;
    const deadline = Date.now() + this.budgetMs;
    for (let attempt = 1; ; attempt++) {
      try {
        const etag = await this.etag();
        const stored = await this.value(entry);
        if (stored === key) return key;
        if (stored !== undefined) {
          throw new DirectoryWriteError(
            `The directory in ${this.kvsArn} was written under another directory key than its secret holds; rebuild it under the current key (buildDirectoryImage) instead of mixing keys`,
          );
        }
        await this.client.send(new PutKeyCommand({ KvsARN: this.kvsArn, Key: entry, Value: key, IfMatch: etag }));
        return key;
      } catch (e) {
        if (!isConflict(e)) throw e;
        if (!(await backOff(attempt, deadline))) throw this.gaveUp(DIRECTORY_LAYOUT.keyEntry, attempt, e);
      }
    }
  }

  /** Queues `edit` of `bucket` for the next batch; settles when the batch holding it is written or has failed. */
  private enqueue(bucket: string, edit: Waiter['edit']): Promise<void> {
    return new Promise((resolve, reject) => {
      const waiters = this.queue.get(bucket) ?? [];
      waiters.push({ edit, resolve, reject, deadline: Date.now() + this.budgetMs });
      this.queue.set(bucket, waiters);
      if (!this.flushing) void this.flush();
    });
  }

  // One batch in flight per instance: concurrent changes queue up behind it and share the next write.
  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      await new Promise((r) => setImmediate(r)); // let changes issued in the same turn join the first batch
      while (this.queue.size > 0) {
        const batch = new Map<string, Waiter[]>();
        for (const [bucket, waiters] of this.queue) {
          if (batch.size === MAX_BATCH) break;
          batch.set(bucket, waiters);
          this.queue.delete(bucket);
        }
        await this.writeBatch(batch);
      }
    } finally {
      this.flushing = false;
    }
  }

  /** Writes `batch` in one UpdateKeys, redoing it on fresh data after each ETag conflict; settles every waiter. Never throws. */
  private async writeBatch(batch: Map<string, Waiter[]>): Promise<void> {
    const settle = (fail?: unknown) => {
      for (const waiters of batch.values()) for (const w of waiters) fail === undefined ? w.resolve() : w.reject(fail);
      batch.clear();
    };
    for (let attempt = 1; ; attempt++) {
      try {
        const etag = await this.etag();
        const buckets = [...batch.keys()];
        const before = await Promise.all(buckets.map((b) => this.value(b)));
        const puts: Array<{ Key: string; Value: string }> = [];
        const deletes: Array<{ Key: string }> = [];
        buckets.forEach((bucket, i) => {
          const after = this.applyEdits(bucket, before[i], batch);
          if (after === before[i]) return;
          if (after === undefined) deletes.push({ Key: bucket });
          else puts.push({ Key: bucket, Value: after });
        });
        if (puts.length + deletes.length > 0) {
          await this.client.send(new UpdateKeysCommand({ KvsARN: this.kvsArn, IfMatch: etag, Puts: puts, Deletes: deletes }));
        }
        return settle();
      } catch (e) {
        if (!isConflict(e)) return settle(e);
        const deadline = Math.min(...[...batch.values()].flat().map((w) => w.deadline));
        if (!(await backOff(attempt, deadline))) return settle(this.gaveUp(`${batch.size} bucket(s)`, attempt, e));
      }
    }
  }

  /**
   * The new value of `bucket` after its waiters' edits. A waiter whose edit cannot be stored
   * (a malformed bucket, a bucket that would overflow) is rejected alone and dropped from the batch.
   */
  private applyEdits(bucket: string, before: string | undefined, batch: Map<string, Waiter[]>): string | undefined {
    const waiters = batch.get(bucket)!;
    let records: Map<string, string>;
    try {
      records = parseBucket(bucket, before);
    } catch (e) {
      for (const w of waiters) w.reject(e);
      batch.delete(bucket);
      return before;
    }
    const kept: Waiter[] = [];
    for (const w of waiters) {
      const trial = new Map(records);
      try {
        w.edit(trial);
        if (trial.size > 0) formatBucket(bucket, trial);
        records = trial;
        kept.push(w);
      } catch (e) {
        w.reject(e);
      }
    }
    if (kept.length === 0) batch.delete(bucket);
    else batch.set(bucket, kept);
    return records.size === 0 ? undefined : formatBucket(bucket, records);
  }

  /** The stored value of each bucket of `range` (undefined when absent), read 32 at a time. */
  private async bucketsOf(range: BucketRange): Promise<Map<string, string | undefined>> {
    const out = new Map<string, string | undefined>();
    for (let at = range.from; at < range.to; at += READ_CONCURRENCY) {
      const keys = Array.from({ length: Math.min(READ_CONCURRENCY, range.to - at) }, (_, i) => bucketAt(at + i));
      const values = await Promise.all(keys.map((key) => this.value(key)));
      keys.forEach((key, i) => out.set(key, values[i]));
    }
    return out;
  }

  private gaveUp(what: string, attempts: number, cause: unknown): DirectoryWriteError {
    return new DirectoryWriteError(`Gave up writing ${what} in ${this.kvsArn} after ${attempts} attempts in ${this.budgetMs} ms: other writers kept changing the store`, { cause });
  }

  private async etag(): Promise<string> {
    const { ETag } = await this.client.send(new DescribeKeyValueStoreCommand({ KvsARN: this.kvsArn }));
    if (!ETag) throw new DirectoryWriteError(`DescribeKeyValueStore of ${this.kvsArn} returned no ETag`);
    return ETag;
  }

  private async value(key: string): Promise<string | undefined> {
    try {
      return (await this.client.send(new GetKeyCommand({ KvsARN: this.kvsArn, Key: key }))).Value;
    } catch (e) {
      if (e instanceof ResourceNotFoundException || (e as Error)?.name === 'ResourceNotFoundException') return undefined;
      throw e;
    }
  }

  private async directoryKey(): Promise<string> {
    const key = await this.source();
    assertDirectoryKey(key);
    return key;
  }
}

/** Waits a full-jitter exponential backoff before attempt `attempt + 1`; false (without waiting) when that would pass `deadline`. */
async function backOff(attempt: number, deadline: number): Promise<boolean> {
  const wait = Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
  if (Date.now() + wait >= deadline) return false;
  await new Promise((r) => setTimeout(r, wait));
  return true;
}

// An ETag that no longer matches: the store changed between our read and our write.
function isConflict(e: unknown): boolean {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return err?.name === 'ConflictException' || err?.$metadata?.httpStatusCode === 409 || err?.$metadata?.httpStatusCode === 412;
}
