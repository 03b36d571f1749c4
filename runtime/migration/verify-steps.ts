import { createHash } from 'node:crypto';
import { dataAad, secretAad } from '../tenants/item-keys';
import type { RecordItem } from '../tenants/tenant-table';
import { openOrFail, withoutFreeze } from './copy-steps';
import { compareUtf8 } from './key-order';
import { MigrationChanges } from './migration-record';
import { MigrationFailure } from './migration-refusal';
import { ObjectStore, StoredObject, tenantObjectPrefix } from './object-store';
import { inPool } from './pool';
import { objectPageSize, sourceKey, Step, StepContext, targetKey } from './step-context';

// Verification walks source and target in lockstep, one source page at a time against the
// same key range of the target, and folds every item into a running count and SHA-256 per
// side: the id and write time as stored, and the SHA-256 of the opened value (each side
// opened with its own realm's key, so the target copy is proven readable there). Objects
// fold in the same way. The migration is ready only when both counts and both digests are
// equal and the record and shared secret match; a target item of another key generation
// never matches.

/** Verifies one page of data items. */
const data: Step = async (ctx) => {
  const { tenant, sourceKid, targetKid } = ctx.record;
  const page = await ctx.source.items.dataPage(tenant, ctx.record.cursor, ctx.batchSize);
  const upTo = page.done ? undefined : page.last;
  const targetItems = await ctx.target.items.dataRange(tenant, ctx.record.cursor, upTo, ctx.batchSize);
  const live = sourceKid === undefined ? [] : page.items.filter((i) => i.kid === sourceKid);
  const [from, to] = await Promise.all([
    live.length > 0 ? sourceKey(ctx) : undefined,
    targetItems.length > 0 ? targetKey(ctx) : undefined,
  ]);
  const tally = new Tally(ctx);
  for (const item of live) {
    const plain = openOrFail(item.value, from!, dataAad(tenant, sourceKid!, item.id), `source data item ${JSON.stringify(item.id)}`);
    tally.source('data', item.id, item.updatedAt ?? '', sha256(plain));
  }
  for (const item of targetItems) {
    const content = item.kid === targetKid
      ? sha256(openOrFail(item.value, to!, dataAad(tenant, targetKid!, item.id), `target data item ${JSON.stringify(item.id)}`))
      : `another data key (${item.kid})`;
    tally.target('data', item.id, item.updatedAt ?? '', content);
  }
  return { ...tally.changes(), ...(page.done ? { step: 'objects', cursor: undefined } : { cursor: page.last }) };
};

/** Verifies one page of objects. */
const objects: Step = async (ctx) => {
  const from = ctx.source.endpoint.objects;
  const to = ctx.target.endpoint.objects;
  if (!from) return { step: 'record', cursor: undefined };
  if (!to) throw new MigrationFailure(`realm ${ctx.target.name} has no object store for the tenant's objects`);
  const prefix = tenantObjectPrefix(ctx.record.tenant);
  const page = await from.list(prefix, ctx.record.cursor, objectPageSize(ctx));
  const upTo = page.more ? page.objects.at(-1)?.key : undefined;
  const targetObjects = await listRange(to, prefix, ctx.record.cursor, upTo);
  const tally = new Tally(ctx);
  const [sourceDigests, targetDigests] = await Promise.all([digestsOf(from, page.objects, ctx.parallelism), digestsOf(to, targetObjects, ctx.parallelism)]);
  page.objects.forEach((o, i) => tally.source('object', o.key, String(o.size), sourceDigests[i]!));
  targetObjects.forEach((o, i) => tally.target('object', o.key, String(o.size), targetDigests[i]!));
  const last = page.objects.at(-1)?.key ?? ctx.record.cursor;
  return { ...tally.changes(), ...(page.more ? { cursor: last } : { step: 'record', cursor: undefined }) };
};

/** Compares the records and shared secrets, then the totals: ready, or failed. */
const record: Step = async (ctx) => {
  const { tenant, sourceKid, targetKid } = ctx.record;
  const [source, target] = await Promise.all([ctx.source.items.getRecord(tenant), ctx.target.items.getRecord(tenant)]);
  if (!source !== !target) throw new MigrationFailure(`the tenant record is ${source ? 'missing from' : 'unexpected in'} realm ${ctx.target.name}`);
  if (source && target) {
    if (canonical(source) !== canonical(target)) throw new MigrationFailure('the tenant records differ between the realms');
    const [from, to] = await Promise.all([sourceKey(ctx), targetKey(ctx)]);
    const a = sha256(openOrFail(source.secret, from, secretAad(tenant, sourceKid!), 'the source shared secret'));
    const b = sha256(openOrFail(target.secret, to, secretAad(tenant, targetKid!), 'the target shared secret'));
    if (a !== b) throw new MigrationFailure('the shared secrets differ between the realms');
  }
  const r = ctx.record;
  if (r.sourceCount !== r.targetCount || r.sourceDigest !== r.targetDigest) {
    throw new MigrationFailure(
      `verification found ${r.sourceCount ?? 0} items and objects in realm ${ctx.source.name} and ${r.targetCount ?? 0} in realm ` +
        `${ctx.target.name}, with ${r.sourceDigest === r.targetDigest ? 'equal' : 'different'} checksums`,
    );
  }
  return { state: 'ready', step: undefined, cursor: undefined };
};

/** The verification steps, by name, in order. */
export const VERIFY_STEPS: Readonly<Record<string, Step>> = { data, objects, record };

/** Running counts and digests of both sides, continued from the migration record. */
class Tally {
  private sourceCount: number;
  private targetCount: number;
  private sourceDigest: string;
  private targetDigest: string;

  constructor(ctx: StepContext) {
    this.sourceCount = ctx.record.sourceCount ?? 0;
    this.targetCount = ctx.record.targetCount ?? 0;
    this.sourceDigest = ctx.record.sourceDigest ?? '';
    this.targetDigest = ctx.record.targetDigest ?? '';
  }

  public source(...entry: string[]): void {
    this.sourceCount++;
    this.sourceDigest = fold(this.sourceDigest, entry);
  }

  public target(...entry: string[]): void {
    this.targetCount++;
    this.targetDigest = fold(this.targetDigest, entry);
  }

  public changes(): MigrationChanges {
    return { sourceCount: this.sourceCount, targetCount: this.targetCount, sourceDigest: this.sourceDigest, targetDigest: this.targetDigest };
  }
}

function fold(digest: string, entry: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify([digest, ...entry])).digest('hex');
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The digests of `objects`, in their order, `parallelism` reads at a time. */
async function digestsOf(store: ObjectStore, objects: readonly StoredObject[], parallelism: number): Promise<string[]> {
  const digests: string[] = new Array(objects.length);
  await inPool(objects.map((o, i) => [o.key, i] as const), parallelism, async ([key, i]) => {
    digests[i] = await digestOf(store, key);
  });
  return digests;
}

async function digestOf(store: ObjectStore, key: string): Promise<string> {
  const stored = await store.get(key);
  return stored ? createHash('sha256').update(`${stored.contentType ?? ''}\n`).update(stored.body).digest('hex') : 'missing';
}

/** Objects with keys after `after` and at most `upTo` (all after `after` when `upTo` is undefined). */
async function listRange(store: ObjectStore, prefix: string, after: string | undefined, upTo: string | undefined): Promise<StoredObject[]> {
  const out: StoredObject[] = [];
  let cursor = after;
  for (;;) {
    const page = await store.list(prefix, cursor, 1000);
    for (const o of page.objects) {
      if (upTo !== undefined && compareUtf8(o.key, upTo) > 0) return out;
      out.push(o);
    }
    if (!page.more || page.objects.length === 0) return out;
    cursor = page.objects.at(-1)!.key;
  }
}

/** A record's fields other than its key generation, sealed secret and TTL, in a stable order. */
function canonical(record: RecordItem): string {
  const { kid: _kid, secret: _secret, expiresAt: _ttl, ...rest } = withoutFreeze(record);
  return JSON.stringify(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b)));
}
