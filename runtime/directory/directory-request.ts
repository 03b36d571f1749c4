import { realmCode } from './bucket-records';
import { BucketRange, bucketRangeProblem } from './bucket-range';
import { ReconcileRequest, ReconcileResult, slotsProblem } from './slot-request';
import { TenantDirectory } from './tenant-directory';

/** One call on a {@link TenantDirectory}, as a function receives it. */
export type DirectoryRequest =
  | { readonly action: 'setRealm'; readonly tenantId: string; readonly realm: string }
  | { readonly action: 'remove'; readonly tenantId: string }
  | { readonly action: 'realmOf'; readonly tenantId: string }
  | { readonly action: 'slots'; readonly tenantIds: readonly string[] }
  | ReconcileRequest;

/**
 * A directory that can also be reconciled from a realm's tenant list, one range of buckets at a
 * time (a relay's `HashedFunctionDirectory`): `slotsOf` hashes tenant ids in the realm, and
 * `reconcile` sends one range's slots on, so each call stays small however large the realm.
 */
export interface ReconcilingDirectory extends TenantDirectory {
  /** The slot of each of `tenantIds` (at most {@link MAX_SLOTS_PER_REQUEST}), as `bucket + fingerprint`, in order. */
  slotsOf(tenantIds: readonly string[]): Promise<string[]>;
  /** Reconciles `realm`'s records in the buckets of `range` to `slots`, removing `remove` (see `SlotDirectory.reconcileRealm`). */
  reconcile(realm: string, range: BucketRange, slots: readonly string[], remove?: readonly string[]): Promise<ReconcileResult>;
}

/** Tenant ids one `slots` request may carry: 5,000 of at most 512 characters stay under Lambda's 6 MB payload. */
export const MAX_SLOTS_PER_REQUEST = 5000;

/** What a directory function answers: `realm` for `realmOf` (null when absent), nothing else otherwise. */
export interface DirectoryResponse {
  readonly realm?: string | null;
  /** What a `reconcile` changed. */
  readonly reconciled?: ReconcileResult;
  /** The slots a `slots` request asked for, in order. */
  readonly slots?: string[];
}

/** A request a directory function refuses: it names what was wrong, never echoes a tenant id. */
export class DirectoryRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DirectoryRequestError';
  }
}

// Atlassian's clientKeys and Forge installation ids are well under this; anything longer is not a tenant id.
const MAX_TENANT_ID = 512;

/**
 * Checks an incoming {@link DirectoryRequest}: an object with a known `action`, a
 * non-empty `tenantId` string of at most 512 characters (for `slots`, up to 5,000 of them),
 * for `setRealm` and `reconcile` a realm the directory can record, for `reconcile` a bucket
 * range and slots inside it; nothing else.
 * @throws DirectoryRequestError saying which field is wrong
 */
export function parseDirectoryRequest(event: unknown): DirectoryRequest {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) throw new DirectoryRequestError('directory request: expected a JSON object');
  const { action, tenantId, realm, tenantIds, from, to, slots, remove, ...rest } = event as Record<string, unknown>;
  const extra = Object.keys(rest);
  if (extra.length > 0) throw new DirectoryRequestError(`directory request: unexpected field ${JSON.stringify(extra[0]!.slice(0, 40))}`);
  if (action !== 'setRealm' && action !== 'remove' && action !== 'realmOf' && action !== 'slots' && action !== 'reconcile') {
    throw new DirectoryRequestError('directory request: action must be "setRealm", "remove", "realmOf", "slots" or "reconcile"');
  }
  if (action !== 'reconcile' && (from !== undefined || to !== undefined || slots !== undefined || remove !== undefined)) {
    throw new DirectoryRequestError('directory request: from, to, slots and remove are only given with reconcile');
  }
  if (action !== 'slots' && tenantIds !== undefined) throw new DirectoryRequestError('directory request: tenantIds is only given with slots');
  if (action === 'slots') {
    if (tenantId !== undefined || realm !== undefined) throw new DirectoryRequestError('directory request: slots takes tenantIds only');
    if (!Array.isArray(tenantIds) || tenantIds.length > MAX_SLOTS_PER_REQUEST || tenantIds.some((id) => typeof id !== 'string' || id.length === 0 || id.length > MAX_TENANT_ID)) {
      throw new DirectoryRequestError(`directory request: slots needs tenantIds, an array of at most ${MAX_SLOTS_PER_REQUEST} strings of 1 to ${MAX_TENANT_ID} characters`);
    }
    return { action, tenantIds: tenantIds as string[] };
  }
  if (action === 'reconcile') {
    if (tenantId !== undefined) throw new DirectoryRequestError('directory request: reconcile takes slots, not tenantId');
    const rangeProblem = bucketRangeProblem(from, to);
    if (rangeProblem) throw new DirectoryRequestError(`directory request: reconcile ${rangeProblem}`);
    const range = { from: from as number, to: to as number };
    const problem = slotsProblem(slots, range, 'slots') ?? slotsProblem(remove ?? [], range, 'remove');
    if (problem) throw new DirectoryRequestError(`directory request: ${problem}`);
    return { action, realm: checkRealm(realm, 'reconcile'), ...range, slots: slots as string[], remove: (remove ?? []) as string[] };
  }
  if (typeof tenantId !== 'string' || tenantId.length === 0 || tenantId.length > MAX_TENANT_ID) {
    throw new DirectoryRequestError(`directory request: tenantId must be a string of 1 to ${MAX_TENANT_ID} characters`);
  }
  if (action !== 'setRealm') {
    if (realm !== undefined) throw new DirectoryRequestError(`directory request: realm is only given with setRealm`);
    return { action, tenantId };
  }
  return { action, tenantId, realm: checkRealm(realm, 'setRealm') };
}

function checkRealm(realm: unknown, action: string): string {
  if (typeof realm !== 'string') throw new DirectoryRequestError(`directory request: ${action} needs a realm`);
  try {
    realmCode(realm);
  } catch {
    throw new DirectoryRequestError(`directory request: ${JSON.stringify(realm.slice(0, 40))} is not a realm the directory records`);
  }
  return realm;
}

/**
 * The Lambda handler of a directory function: parses each event ({@link parseDirectoryRequest})
 * and applies it to `directory`. A bad request or a failed write rejects, so the caller's
 * invoke reports a function error and changes nothing it was not told about.
 */
export function directoryRequestHandler(directory: TenantDirectory | ReconcilingDirectory): (event: unknown) => Promise<DirectoryResponse> {
  return async (event) => {
    const request = parseDirectoryRequest(event);
    switch (request.action) {
      case 'setRealm':
        await directory.setRealm(request.tenantId, request.realm);
        return {};
      case 'remove':
        await directory.remove(request.tenantId);
        return {};
      case 'realmOf':
        return { realm: (await directory.realmOf(request.tenantId)) ?? null };
      case 'slots':
        if (!('slotsOf' in directory)) throw new DirectoryRequestError('directory request: this function cannot hash slots');
        return { slots: await directory.slotsOf(request.tenantIds) };
      case 'reconcile':
        if (!('reconcile' in directory)) throw new DirectoryRequestError('directory request: this function cannot reconcile');
        return { reconciled: await directory.reconcile(request.realm, request, request.slots, request.remove) };
    }
  };
}

/**
 * `directory`, refusing to record a tenant in any realm but `realms`: a realm's relay may record
 * only its own stack's realms, the writer only the app's configured realms.
 * @throws DirectoryRequestError from `setRealm` for another realm
 */
export function onlyRealms<D extends TenantDirectory | ReconcilingDirectory>(directory: D, realms: readonly string[]): D {
  const allowed = new Set(realms);
  const check = (realm: string) => {
    if (!allowed.has(realm)) throw new DirectoryRequestError(`directory request: realm ${JSON.stringify(realm.slice(0, 40))} is not one this function may record (${realms.join(', ')})`);
  };
  const limited: TenantDirectory = {
    setRealm: async (tenantId, realm) => {
      check(realm);
      await directory.setRealm(tenantId, realm);
    },
    remove: (tenantId) => directory.remove(tenantId),
    realmOf: (tenantId) => directory.realmOf(tenantId),
  };
  if (!('reconcile' in directory)) return limited as D;
  const reconciling: ReconcilingDirectory = {
    ...limited,
    slotsOf: (tenantIds) => directory.slotsOf(tenantIds),
    reconcile: async (realm, range, slots, remove) => {
      check(realm);
      return directory.reconcile(realm, range, slots, remove);
    },
  };
  return reconciling as D;
}
