import { DataKeyError, EncryptionContext } from '../crypto';
import type { TenantDirectory } from '../directory/tenant-directory';
import { MigrationChanges, MigrationRecord } from './migration-record';
import { MigrationFailure } from './migration-refusal';
import { RealmEndpoint } from './realm-stores';
import { TenantItems } from './tenant-items';

/** One realm of a migration: its name, how to reach it, and the tenant items there. */
export interface RealmSide {
  /** The realm's name (`EU`, ...). */
  readonly name: string;
  /** How to reach the realm. */
  readonly endpoint: RealmEndpoint;
  /** The tenant items in the realm's table. */
  readonly items: TenantItems;
}

/** What one step of a migration works with, for one hook call. */
export interface StepContext {
  /** The app key (encryption context `app`). */
  readonly app: string;
  /** The migration as last recorded. */
  readonly record: MigrationRecord;
  /** The realm the tenant moves from (where the engine runs). */
  readonly source: RealmSide;
  /** The realm the tenant moves to. */
  readonly target: RealmSide;
  /** The global tenant directory. */
  readonly directory: TenantDirectory;
  /** Items or objects per batch. */
  readonly batchSize: number;
  /** Requests in flight at once within a batch (BatchWriteItem requests, object copies, deletes). */
  readonly parallelism: number;
  /** Epoch milliseconds. */
  readonly now: () => number;
  /** Milliseconds left in this call's budget. */
  readonly remainingMs: () => number;
  /** Waits `ms` milliseconds. */
  readonly sleep: (ms: number) => Promise<void>;
  /**
   * Throws {@link OutOfBudget} when this call's lease on the migration ends within the time
   * one write may take; else answers a signal that aborts when the lease ends. Called before
   * every write to the target, the signal passed to that write, so no write of a call that a
   * rollback took over can land after the rollback's final sweep: not one sent late, nor one
   * held up on its way (a slow network, a retry's backoff), which is abandoned unsent.
   */
  readonly beforeWrite: () => AbortSignal;
  /** Unwrapped data keys, per side, for the length of one call. */
  readonly keys: Map<'source' | 'target', Uint8Array>;
}

/** A step: one batch of work on the migration; resolves to the changes that record its progress. */
export type Step = (ctx: StepContext) => Promise<MigrationChanges>;

/**
 * Objects a copy or verification step takes: as many as it reads at once, so a step of large
 * objects still ends (and renews the lease) within the lease.
 */
export function objectPageSize(ctx: StepContext): number {
  return Math.min(ctx.batchSize, ctx.parallelism);
}

/** The encryption context of the tenant's data key in `side`'s realm. */
export function keyContext(ctx: StepContext, side: RealmSide): EncryptionContext {
  return { app: ctx.app, realm: side.endpoint.stackRealm, tenant: ctx.record.tenant };
}

/** The tenant's source data key of the generation the copy started from. */
export async function sourceKey(ctx: StepContext): Promise<Uint8Array> {
  const cached = ctx.keys.get('source');
  if (cached) return cached;
  const item = await ctx.source.items.getKey(ctx.record.tenant);
  if (!item || item.kid !== ctx.record.sourceKid) throw new MigrationFailure('the source data key changed or was deleted during the migration');
  const key = await unwrap(ctx, ctx.source, item.wrappedKey, 'source');
  ctx.keys.set('source', key);
  return key;
}

/** The tenant's data key this migration created in the target realm. */
export async function targetKey(ctx: StepContext): Promise<Uint8Array> {
  const cached = ctx.keys.get('target');
  if (cached) return cached;
  const item = await ctx.target.items.getKey(ctx.record.tenant);
  if (!item || item.migrationId !== ctx.record.migrationId || item.kid !== ctx.record.targetKid) {
    throw new MigrationFailure('the data key this migration created in the target realm is gone or was replaced');
  }
  const key = await unwrap(ctx, ctx.target, item.wrappedKey, 'target');
  ctx.keys.set('target', key);
  return key;
}

/** Unwraps a data key in `side`'s realm; a key that does not unwrap fails the migration. */
export async function unwrap(ctx: StepContext, side: RealmSide, wrapped: Uint8Array, which: 'source' | 'target'): Promise<Uint8Array> {
  try {
    return await side.endpoint.keySource.unwrap(wrapped, keyContext(ctx, side));
  } catch (err) {
    if (err instanceof DataKeyError) throw new MigrationFailure(`the ${which} data key did not unwrap under realm ${side.name}'s key`);
    throw err;
  }
}

/** A step that cannot finish in what is left of this call's budget; the next call resumes it. */
export class OutOfBudget extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutOfBudget';
  }
}
