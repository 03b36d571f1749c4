import { migratedClaims } from './copy-steps';
import { tenantObjectPrefix } from './object-store';
import { inPool } from './pool';
import { OutOfBudget, Step, StepContext } from './step-context';

// Commit: the directory first (from then on the edge sends the tenant to the target realm);
// until the step after it is recorded nothing is deleted, so a rollback can still undo it;
// then the source copy goes, its wrapped data key first: once that item is deleted, every
// sealed value left in the source (secret and data) is unreadable, whatever happens next.
// Rollback: the target copy goes, only what this migration wrote there (the key item it
// tagged, the record and items sealed under its key generation); the source is not touched.

const COMMITTED = { state: 'committed', step: undefined, cursor: undefined } as const;
const ROLLED_BACK = { state: 'rolled-back', step: undefined, cursor: undefined, fenceUntil: undefined } as const;

const commitSteps: Readonly<Record<string, Step>> = {
  directory: async (ctx) => {
    await ctx.directory.setRealm(ctx.record.tenant, ctx.record.location);
    return ctx.record.inPlace ? COMMITTED : { step: 'shred' };
  },
  shred: async (ctx) => {
    await ctx.source.items.deleteKey(ctx.record.tenant);
    return { step: 'record' };
  },
  record: async (ctx) => {
    const { tenant } = ctx.record;
    // Claims first: the record names the site claim, so a crash between the two still finds it.
    for (const c of await migratedClaims(ctx)) await ctx.source.items.table.releaseClaim(c, tenant);
    await ctx.source.items.deleteRecord(tenant);
    return { step: 'data' };
  },
  data: async (ctx) => {
    // Deleted items drop out of the query, so every batch starts from the first remaining one.
    const page = await ctx.source.items.dataPage(ctx.record.tenant, undefined, ctx.batchSize);
    await ctx.source.items.deleteDataBatch(ctx.record.tenant, page.items.map((i) => i.sortKey), ctx.parallelism);
    return page.done ? { step: 'objects' } : {};
  },
  objects: async (ctx) => ((await deleteObjectPage(ctx, 'source')) ? {} : COMMITTED),
};

const rollbackSteps: Readonly<Record<string, Step>> = {
  // Only a rollback of an interrupted commit starts here: its directory entry may already name the target.
  directory: async (ctx) => {
    await ctx.directory.setRealm(ctx.record.tenant, ctx.source.name);
    return { step: 'identify' };
  },
  identify: async (ctx) => {
    if (!ctx.record.targetWritten || ctx.record.inPlace) return ROLLED_BACK;
    // A crash may have come between writing the target key and recording its generation.
    const key = await ctx.target.items.getKey(ctx.record.tenant);
    const kid = key?.migrationId === ctx.record.migrationId ? key.kid : ctx.record.targetKid;
    return { targetKid: kid, step: 'record', cursor: undefined };
  },
  record: async (ctx) => {
    if (ctx.record.targetKid !== undefined) await ctx.target.items.deleteRecord(ctx.record.tenant, ctx.record.targetKid);
    return { step: 'key' };
  },
  key: async (ctx) => {
    await ctx.target.items.deleteKey(ctx.record.tenant, ctx.record.migrationId);
    return { step: 'data', cursor: undefined };
  },
  data: async (ctx) => {
    const { tenant, targetKid } = ctx.record;
    if (targetKid === undefined) return { step: 'claim', cursor: undefined };
    const page = await ctx.target.items.dataPage(tenant, ctx.record.cursor, ctx.batchSize);
    const ours = page.items.filter((i) => i.kid === targetKid);
    await ctx.target.items.deleteDataBatch(tenant, ours.map((i) => i.sortKey), ctx.parallelism);
    return page.done ? { step: 'claim', cursor: undefined } : { cursor: page.last };
  },
  claim: async (ctx) => {
    for (const c of await migratedClaims(ctx)) await ctx.target.items.table.releaseClaim(c, ctx.record.tenant);
    return { step: 'objects' };
  },
  objects: async (ctx) => {
    // Objects carry no key generation: with `targetWritten` set the target held no copy of
    // this tenant when the migration began, so whatever is under its prefix there came from it.
    if (ctx.source.endpoint.objects && (await deleteObjectPage(ctx, 'target'))) return {};
    return { step: 'sweep' };
  },
  sweep: async (ctx) => {
    const fence = ctx.record.fenceUntil;
    if (fence === undefined) return ROLLED_BACK;
    // A copy this rollback interrupted may still have writes in flight until its lease ends:
    // wait for it, then clean once more.
    const wait = fence - ctx.now();
    if (wait > 0) {
      if (wait > ctx.remainingMs()) throw new OutOfBudget('the rollback waits for an interrupted copy to stop writing');
      await ctx.sleep(wait);
    }
    return { fenceUntil: undefined, step: 'record', cursor: undefined };
  },
};

/** The commit steps, by name. */
export const COMMIT_STEPS = commitSteps;
/** The rollback steps, by name. */
export const ROLLBACK_STEPS = rollbackSteps;

/** Deletes one page of the tenant's objects in `side`; true when there were any. */
async function deleteObjectPage(ctx: StepContext, side: 'source' | 'target'): Promise<boolean> {
  const store = ctx[side].endpoint.objects;
  if (!store) return false;
  const page = await store.list(tenantObjectPrefix(ctx.record.tenant), undefined, ctx.batchSize);
  await inPool(page.objects, ctx.parallelism, (o) => store.delete(o.key));
  return page.objects.length > 0;
}
