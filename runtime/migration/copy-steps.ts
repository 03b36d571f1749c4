import { randomUUID } from 'node:crypto';
import { open, seal, SealedValueError } from '../crypto';
import { dataAad, heldClaims, secretAad } from '../tenants/item-keys';
import type { RecordItem } from '../tenants/tenant-table';
import { MigrationFailure } from './migration-refusal';
import { tenantObjectPrefix } from './object-store';
import { inPool } from './pool';
import { keyContext, objectPageSize, OutOfBudget, sourceKey, Step, StepContext, targetKey, unwrap } from './step-context';

// Copying, in the order that keeps every prefix of it harmless: the target data key, the
// data items re-sealed under it, the objects, the installation claim, and the record (with
// the shared secret re-sealed) last, so the tenant exists in the target realm only once
// everything else is there. Each step writes idempotently (same keys, conditional puts),
// so a call that crashes anywhere is simply run again.

/** Checks the source and the target, then creates the tenant's data key in the target realm. */
const key: Step = async (ctx) => {
  const { tenant, migrationId } = ctx.record;
  const now = ctx.now();
  const [sourceItem, sourceRecord, targetItem, targetRecord] = await Promise.all([
    ctx.source.items.getKey(tenant),
    ctx.source.items.getRecord(tenant),
    ctx.target.items.getKey(tenant),
    ctx.target.items.getRecord(tenant),
  ]);
  const liveSource = sourceItem && (sourceItem.expiresAt === undefined || sourceItem.expiresAt * 1000 > now) ? sourceItem : undefined;
  if (sourceRecord?.state === 'uninstalled') throw new MigrationFailure('the tenant is uninstalled in the source realm');
  if (sourceRecord && sourceRecord.kid !== liveSource?.kid) throw new MigrationFailure('the source record is sealed under a data key the source no longer has');
  if (liveSource) await unwrap(ctx, ctx.source, liveSource.wrappedKey, 'source');
  const ours = targetItem?.migrationId === migrationId;
  if (targetItem && !ours) throw new MigrationFailure(`realm ${ctx.target.name} already holds a data key of this tenant that this migration did not write`);
  if (targetRecord && !ours) throw new MigrationFailure(`realm ${ctx.target.name} already holds a record of this tenant`);
  // Recorded before the first write to the target, so a rollback knows it has something to clean.
  if (!ctx.record.targetWritten) {
    // The tenant's writes stop here (refused with 503 until commit or rollback); the count then is what commit re-checks.
    const frozen = sourceRecord ? await ctx.source.items.table.freeze(tenant, migrationId) : { writes: 0 };
    if (frozen === undefined) throw new MigrationFailure('the tenant is frozen by another migration or its record went away');
    return { targetWritten: true, sourceKid: liveSource?.kid, installation: sourceRecord?.installation, frozenWrites: frozen.writes, uploadsUntil: frozen.uploadsUntil };
  }
  if (targetItem) return { targetKid: targetItem.kid, step: 'data', cursor: undefined };
  const dataKey = await ctx.target.endpoint.keySource.generateDataKey(keyContext(ctx, ctx.target));
  const kid = randomUUID();
  const signal = ctx.beforeWrite();
  if (await ctx.target.items.putNewKey(tenant, { wrappedKey: dataKey.wrapped, kid, createdAt: new Date(now).toISOString(), migrationId }, signal)) {
    ctx.keys.set('target', dataKey.plaintext);
    return { targetKid: kid, step: 'data', cursor: undefined };
  }
  // Another call of this migration wrote it first: run the step again to pick that one up.
  return {};
};

/**
 * Copies one page of data items (up to `batchSize`, one Query), each opened with the source
 * key and sealed with the target key, in BatchWriteItem requests of 25, `parallelism` in flight.
 */
const data: Step = async (ctx) => {
  const { tenant, sourceKid, targetKid } = ctx.record;
  const page = await ctx.source.items.dataPage(tenant, ctx.record.cursor, ctx.batchSize);
  // Items of an older, shredded key generation read as absent in the source: they stay behind.
  const live = sourceKid === undefined ? [] : page.items.filter((i) => i.kid === sourceKid);
  if (live.length > 0) {
    const [from, to] = await Promise.all([sourceKey(ctx), targetKey(ctx)]);
    const sealed = live.map((item) => {
      const plaintext = openOrFail(item.value, from, dataAad(tenant, sourceKid!, item.id), `data item ${JSON.stringify(item.id)}`);
      const value = seal(plaintext, to, dataAad(tenant, targetKid!, item.id));
      return { id: item.id, kid: targetKid!, value, ...(item.updatedAt ? { updatedAt: item.updatedAt } : {}), ...(item.version === undefined ? {} : { version: item.version }) };
    });
    await ctx.target.items.putDataBatch(tenant, sealed, ctx.parallelism, ctx.beforeWrite);
  }
  return page.done ? { step: 'objects', cursor: undefined } : { cursor: page.last };
};

/**
 * Copies one round of the tenant's objects, `parallelism` at once (the target bucket
 * encrypts them under its own realm key): one round per step, so a step of large objects
 * still ends within its lease.
 */
const objects: Step = async (ctx) => {
  const from = ctx.source.endpoint.objects;
  const to = ctx.target.endpoint.objects;
  if (!from) return { step: 'claim', cursor: undefined };
  if (!to) throw new MigrationFailure(`realm ${ctx.target.name} has no object store for the tenant's objects`);
  // Uploads through URLs presigned before the freeze may land until they expire: copy after that.
  const wait = (ctx.record.uploadsUntil ?? 0) - ctx.now();
  if (wait > 0) {
    await ctx.sleep(Math.min(wait, Math.max(ctx.remainingMs(), 0)));
    if (ctx.now() < ctx.record.uploadsUntil!) throw new OutOfBudget('presigned uploads of the tenant may still land');
  }
  const page = await from.list(tenantObjectPrefix(ctx.record.tenant), ctx.record.cursor, objectPageSize(ctx));
  await inPool(page.objects, ctx.parallelism, async (object) => {
    const stored = await from.get(object.key);
    const signal = ctx.beforeWrite();
    if (stored) await to.put(object.key, stored.body, stored.contentType, signal);
  });
  const last = page.objects.at(-1)?.key ?? ctx.record.cursor;
  return page.more ? { cursor: last } : { step: 'claim', cursor: undefined };
};

/** Claims the tenant's installation and site in the target realm, as an install there would. */
const claim: Step = async (ctx) => {
  const { tenant } = ctx.record;
  const now = ctx.now();
  for (const c of await migratedClaims(ctx)) {
    const signal = ctx.beforeWrite();
    if (!(await ctx.target.items.table.claim(c, tenant, new Date(now).toISOString(), Math.floor(now / 1000), signal))) {
      throw new MigrationFailure(`realm ${ctx.target.name} has the tenant's installation claimed by another clientKey`);
    }
  }
  return { step: 'record' };
};

/** The claims the tenant holds in the source (installation and site), or the recorded installation once the source record is gone. */
export async function migratedClaims(ctx: StepContext): Promise<string[]> {
  const source = await ctx.source.items.getRecord(ctx.record.tenant);
  if (source) return heldClaims(source);
  return ctx.record.installation === undefined ? [] : [ctx.record.installation];
}

/** Writes the tenant record in the target realm, its shared secret re-sealed under the target key. */
const record: Step = async (ctx) => {
  const { tenant, sourceKid, targetKid } = ctx.record;
  const source = await ctx.source.items.getRecord(tenant);
  if (source) {
    const [from, to] = await Promise.all([sourceKey(ctx), targetKey(ctx)]);
    const secret = openOrFail(source.secret, from, secretAad(tenant, sourceKid!), 'the shared secret');
    const signal = ctx.beforeWrite();
    await ctx.target.items.table.putRecord({ ...withoutFreeze(source), kid: targetKid!, secret: seal(secret, to, secretAad(tenant, targetKid!)) }, signal);
  }
  return {
    state: 'verifying', step: 'data', cursor: undefined,
    sourceCount: 0, targetCount: 0, sourceDigest: undefined, targetDigest: undefined,
  };
};

/** The copy steps, by name, in order. */
export const COPY_STEPS: Readonly<Record<string, Step>> = { key, data, objects, claim, record };

/** Opens a sealed value of the source; one that does not open fails the migration (naming the item, never its value). */
export function openOrFail(sealed: string, dataKey: Uint8Array, aad: string, what: string): Uint8Array {
  try {
    return open(sealed, dataKey, aad);
  } catch (err) {
    if (err instanceof SealedValueError) throw new MigrationFailure(`${what} of the tenant did not open`);
    throw err;
  }
}

/** A record without the source realm's freeze bookkeeping (the target starts unfrozen and counts afresh). */
export function withoutFreeze(record: RecordItem): RecordItem {
  const { frozenBy: _f, writeVersion: _w, uploadsUntil: _u, ...rest } = record as RecordItem & { frozenBy?: string; writeVersion?: number; uploadsUntil?: number };
  return rest;
}
