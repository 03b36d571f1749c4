import { realmCode } from './bucket-records';
import type { ReconcileResult } from './slot-request';
import { TenantDirectory } from './tenant-directory';

/** One call on a {@link TenantDirectory}, as a function receives it. */
export type DirectoryRequest =
  | { readonly action: 'setRealm'; readonly tenantId: string; readonly realm: string }
  | { readonly action: 'remove'; readonly tenantId: string }
  | { readonly action: 'realmOf'; readonly tenantId: string }
  | { readonly action: 'reconcile'; readonly realm: string; readonly tenantIds: readonly string[] };

/** A directory that can also be reconciled from a realm's full list of tenants (a relay's `HashedFunctionDirectory`). */
export interface ReconcilingDirectory extends TenantDirectory {
  /** Makes the directory's records of `realm` exactly `tenantIds` (see `HashedFunctionDirectory.reconcile`). */
  reconcile(realm: string, tenantIds: Iterable<string>): Promise<ReconcileResult>;
}

/** What a directory function answers: `realm` for `realmOf` (null when absent), nothing else otherwise. */
export interface DirectoryResponse {
  readonly realm?: string | null;
  /** What a `reconcile` changed. */
  readonly reconciled?: ReconcileResult;
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
 * non-empty `tenantId` string of at most 512 characters, and for `setRealm` a realm the
 * directory can record; nothing else.
 * @throws DirectoryRequestError saying which field is wrong
 */
export function parseDirectoryRequest(event: unknown): DirectoryRequest {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) throw new DirectoryRequestError('directory request: expected a JSON object');
  const { action, tenantId, realm, tenantIds, ...rest } = event as Record<string, unknown>;
  const extra = Object.keys(rest);
  if (extra.length > 0) throw new DirectoryRequestError(`directory request: unexpected field ${JSON.stringify(extra[0]!.slice(0, 40))}`);
  if (action !== 'setRealm' && action !== 'remove' && action !== 'realmOf' && action !== 'reconcile') {
    throw new DirectoryRequestError('directory request: action must be "setRealm", "remove", "realmOf" or "reconcile"');
  }
  if (action === 'reconcile') {
    if (tenantId !== undefined) throw new DirectoryRequestError('directory request: reconcile takes tenantIds, not tenantId');
    if (!Array.isArray(tenantIds) || tenantIds.some((id) => typeof id !== 'string' || id.length === 0 || id.length > MAX_TENANT_ID)) {
      throw new DirectoryRequestError(`directory request: reconcile needs tenantIds, an array of strings of 1 to ${MAX_TENANT_ID} characters`);
    }
    return { action, realm: checkRealm(realm, 'reconcile'), tenantIds: tenantIds as string[] };
  }
  if (tenantIds !== undefined) throw new DirectoryRequestError('directory request: tenantIds is only given with reconcile');
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
      case 'reconcile':
        if (!('reconcile' in directory)) throw new DirectoryRequestError('directory request: this function cannot reconcile');
        return { reconciled: await directory.reconcile(request.realm, request.tenantIds) };
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
    reconcile: async (realm, tenantIds) => {
      check(realm);
      return directory.reconcile(realm, tenantIds);
    },
  };
  return reconciling as D;
}
