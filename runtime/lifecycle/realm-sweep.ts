import type { ReconcilingDirectory } from '../directory/directory-request';
import { RealmReconcileResult, reconcileByRange } from '../directory/reconcile-by-range';
import type { TenantStore } from '../tenants/tenant-store';
import type { RecordSummary } from '../tenants/tenant-table';

/** What one sweep of a realm works from. */
export interface RealmSweepInput {
  /** The realm whose directory records are reconciled (the stack's realm, as the directory records it). */
  readonly realm: string;
  /** Every tenant record of the realm's table (`TenantTable.scanRecords`). */
  readonly records: () => AsyncIterable<RecordSummary>;
  /** Shreds a tenant (on its own session when deployed). */
  readonly store: Pick<TenantStore, 'shred'>;
  /** The directory, through the realm's relay (which hashes the ids here). @default - not reconciled */
  readonly directory?: Pick<ReconcilingDirectory, 'slotsOf' | 'reconcile'>;
  /** Wait before the reconcile's second listing (see `reconcileByRange`). @default 20000 */
  readonly settleMs?: number;
  /** The clock, in epoch milliseconds. @default Date.now */
  readonly now?: () => number;
}

/** What a sweep did. */
export interface RealmSweepResult {
  /** Installed and disabled tenants: the set the directory was reconciled to. */
  readonly live: number;
  /** Uninstalled tenants past their shred time whose shred finished in this sweep. */
  readonly shredded: number;
  /** What the reconcile changed, when a directory was given. */
  readonly reconciled?: RealmReconcileResult;
}

/**
 * One scheduled sweep of a realm: lists its tenant records, shreds every uninstalled tenant past
 * its shred time whose shred is not recorded yet (its key, every version of its objects, its
 * items: `TenantStore.shred`, recorded on the record only once done), then reconciles the
 * directory's records of the realm to the installed and disabled tenants, 512 buckets a call
 * (`reconcileByRange`: healing a failed `remove` or `setRealm`, never dropping a tenant installed
 * during the sweep). Every step is idempotent, so a sweep cut short is finished by the next.
 * @throws Error naming how many shreds failed (after the reconcile ran), never which tenants
 */
export async function sweepRealm(input: RealmSweepInput): Promise<RealmSweepResult> {
  const now = (input.now ?? Date.now)();
  const live: string[] = [];
  let shredded = 0;
  let failed = 0;
  let firstError: unknown;
  for await (const record of input.records()) {
    if (record.state !== 'uninstalled') {
      live.push(record.clientKey);
      continue;
    }
    if (record.shreddedAt !== undefined || record.shredAfter === undefined || Date.parse(record.shredAfter) > now) continue;
    try {
      await input.store.shred(record.clientKey);
      shredded++;
    } catch (err) {
      failed++;
      firstError ??= err;
    }
  }
  const relist = async () => {
    const ids: string[] = [];
    for await (const record of input.records()) if (record.state !== 'uninstalled') ids.push(record.clientKey);
    return ids;
  };
  const reconciled = input.directory
    ? await reconcileByRange({ realm: input.realm, directory: input.directory, listed: live, relist, ...(input.settleMs !== undefined ? { settleMs: input.settleMs } : {}) })
    : undefined;
  if (failed > 0) {
    // The error's name only: its message may name the tenant.
    const reason = firstError instanceof Error ? firstError.name : typeof firstError;
    throw new Error(`Realm sweep: ${failed} shred(s) failed and will be retried by the next sweep (first: ${reason})`);
  }
  return { live: live.length, shredded, ...(reconciled ? { reconciled } : {}) };
}
