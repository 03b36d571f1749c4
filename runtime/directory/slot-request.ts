import { realmCode } from './bucket-records';
import { BucketRange, RECONCILE_MAX_BUCKETS, bucketIndex, bucketRangeProblem } from './bucket-range';
import { DirectoryRequestError } from './directory-request';
import { DIRECTORY_LAYOUT } from './layout';
import type { TenantSlot } from './tenant-slot';

/**
 * One call on the edge's directory writer, as a realm's relay sends it: a tenant's slot
 * (bucket and fingerprint, hashed inside the realm), never its id. `reconcile` carries every
 * slot the realm holds in a range of buckets (`from` inclusive, `to` exclusive, at most
 * {@link RECONCILE_MAX_BUCKETS}) and the slots confirmed stale there (`remove`), so the writer
 * can heal entries a failed write left behind while reading only that range.
 */
export type SlotRequest =
  | { readonly action: 'setRealm'; readonly bucket: string; readonly fingerprint: string; readonly realm: string }
  | { readonly action: 'remove'; readonly bucket: string; readonly fingerprint: string }
  | { readonly action: 'realmOf'; readonly bucket: string; readonly fingerprint: string }
  | ReconcileRequest;

/** A realm's slots in the buckets `from`..`to` (relay and writer alike: slots only, never a tenant id), and the slots to remove there. */
export interface ReconcileRequest {
  readonly action: 'reconcile';
  readonly realm: string;
  readonly from: number;
  readonly to: number;
  readonly slots: readonly string[];
  readonly remove: readonly string[];
}

/** What the writer answers: `realm` for `realmOf` (null when absent), the figures of a `reconcile`, nothing else otherwise. */
export interface SlotResponse {
  readonly realm?: string | null;
  readonly reconciled?: ReconcileResult;
}

/** What a reconcile changed. */
export interface ReconcileResult {
  /** Slots of the realm that were missing and are now recorded. */
  readonly added: number;
  /** Records of the realm for slots it no longer holds, now gone. */
  readonly removed: number;
  /** Slots the realm holds that another realm's record occupies (left to that realm's reconcile). */
  readonly elsewhere: number;
  /** Buckets rewritten (only those that disagreed). */
  readonly bucketsWritten: number;
  /** Buckets read to compare (the range's width). */
  readonly bucketsRead: number;
  /**
   * Records of the realm in the range that are in neither `slots` nor `remove`, as slot
   * strings: kept for now, since a tenant installed after the realm's listing looks the same;
   * the sweep removes those its fresh listing confirms.
   */
  readonly stale: readonly string[];
}

/** A directory addressed by slot: what the edge's writer offers the realms. */
export interface SlotDirectory {
  /** Records `slot` in `realm`. */
  setSlot(slot: TenantSlot, realm: string): Promise<void>;
  /** Forgets `slot`; an absent slot is not an error. */
  removeSlot(slot: TenantSlot): Promise<void>;
  /** The realm recorded for `slot`, or undefined. */
  realmOfSlot(slot: TenantSlot): Promise<string | undefined>;
  /**
   * In the buckets of `range` only (no other bucket is read): records each of `slots` in `realm`
   * where no realm holds it, removes `realm`'s records of `remove` (never another realm's), and
   * answers the realm's other records there as `stale`; rewrites only buckets that change.
   */
  reconcileRealm(realm: string, range: BucketRange, slots: readonly TenantSlot[], remove: readonly TenantSlot[]): Promise<ReconcileResult>;
}

const BUCKET = new RegExp(`^[A-Za-z0-9_-]{${DIRECTORY_LAYOUT.bucketWholeChars}}[${DIRECTORY_LAYOUT.bucketTailAlphabet}]$`);
const FINGERPRINT = new RegExp(`^[A-Za-z0-9_-]{${DIRECTORY_LAYOUT.fingerprintLength}}$`);
const SLOT_CHARS = DIRECTORY_LAYOUT.bucketKeyLength + DIRECTORY_LAYOUT.fingerprintLength;
// As many records as a full range can hold: 512 buckets of at most 78 records.
const MAX_RECONCILE_SLOTS = RECONCILE_MAX_BUCKETS * Math.floor((DIRECTORY_LAYOUT.maxEntryChars - DIRECTORY_LAYOUT.bucketKeyLength) / DIRECTORY_LAYOUT.recordLength);

/** `bucket + fingerprint` as one string, the form a `reconcile` request lists slots in. */
export function slotString(slot: TenantSlot): string {
  return slot.bucket + slot.fingerprint;
}

/** The slot of a {@link slotString}, or undefined when it is not one. */
export function slotOfString(text: unknown): TenantSlot | undefined {
  if (typeof text !== 'string' || text.length !== SLOT_CHARS) return undefined;
  const bucket = text.slice(0, DIRECTORY_LAYOUT.bucketKeyLength);
  const fingerprint = text.slice(DIRECTORY_LAYOUT.bucketKeyLength);
  return BUCKET.test(bucket) && FINGERPRINT.test(fingerprint) ? { bucket, fingerprint } : undefined;
}

/** A one-line problem with `slots` (the request's field `field`) as slot strings inside `range`, or undefined when they are fine. */
export function slotsProblem(slots: unknown, range: BucketRange, field: string): string | undefined {
  if (!Array.isArray(slots) || slots.length > MAX_RECONCILE_SLOTS) return `reconcile needs ${field}, an array of at most ${MAX_RECONCILE_SLOTS} slots`;
  for (let i = 0; i < slots.length; i++) {
    const slot = slotOfString(slots[i]);
    if (slot === undefined) return `${field}[${i}] is not a bucket and fingerprint of ${SLOT_CHARS} characters`;
    const at = bucketIndex(slot.bucket);
    if (at < range.from || at >= range.to) return `${field}[${i}] lies outside buckets ${range.from} to ${range.to}`;
  }
  return undefined;
}

/**
 * Checks an incoming {@link SlotRequest}. A request that carries a `tenantId` is refused
 * outright: tenant ids are hashed in their realm and never reach the edge.
 * @throws DirectoryRequestError saying which field is wrong (never echoing a value that could be an id)
 */
export function parseSlotRequest(event: unknown): SlotRequest {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) throw new DirectoryRequestError('directory writer request: expected a JSON object');
  const { action, bucket, fingerprint, realm, slots, from, to, remove, ...rest } = event as Record<string, unknown>;
  if ('tenantId' in rest) throw new DirectoryRequestError('directory writer request: carries a tenantId; the writer takes only a bucket and fingerprint hashed in the realm');
  const extra = Object.keys(rest);
  if (extra.length > 0) throw new DirectoryRequestError(`directory writer request: unexpected field ${JSON.stringify(extra[0]!.slice(0, 40))}`);
  const realmOk = (): string => {
    if (typeof realm !== 'string') throw new DirectoryRequestError(`directory writer request: ${action} needs a realm`);
    try {
      realmCode(realm);
    } catch {
      throw new DirectoryRequestError(`directory writer request: ${JSON.stringify(realm.slice(0, 40))} is not a realm the directory records`);
    }
    return realm;
  };
  if (action === 'reconcile') {
    if (bucket !== undefined || fingerprint !== undefined) throw new DirectoryRequestError('directory writer request: reconcile takes slots, not a bucket and fingerprint');
    const rangeProblem = bucketRangeProblem(from, to);
    if (rangeProblem) throw new DirectoryRequestError(`directory writer request: reconcile ${rangeProblem}`);
    const range = { from: from as number, to: to as number };
    const problem = slotsProblem(slots, range, 'slots') ?? slotsProblem(remove, range, 'remove');
    if (problem) throw new DirectoryRequestError(`directory writer request: ${problem}`);
    return { action, realm: realmOk(), ...range, slots: slots as string[], remove: remove as string[] };
  }
  if (from !== undefined || to !== undefined || remove !== undefined) throw new DirectoryRequestError('directory writer request: from, to and remove are only given with reconcile');
  if (action !== 'setRealm' && action !== 'remove' && action !== 'realmOf') {
    throw new DirectoryRequestError('directory writer request: action must be "setRealm", "remove", "realmOf" or "reconcile"');
  }
  if (slots !== undefined) throw new DirectoryRequestError('directory writer request: slots are only given with reconcile');
  if (typeof bucket !== 'string' || !BUCKET.test(bucket)) throw new DirectoryRequestError('directory writer request: bucket must be a directory bucket key');
  if (typeof fingerprint !== 'string' || !FINGERPRINT.test(fingerprint)) {
    throw new DirectoryRequestError(`directory writer request: fingerprint must be ${DIRECTORY_LAYOUT.fingerprintLength} base64url characters`);
  }
  if (action === 'setRealm') return { action, bucket, fingerprint, realm: realmOk() };
  if (realm !== undefined) throw new DirectoryRequestError('directory writer request: realm is only given with setRealm and reconcile');
  return { action, bucket, fingerprint };
}

/**
 * The Lambda handler of the edge's directory writer: parses each event ({@link parseSlotRequest})
 * and applies it to `directory`, recording only in `realms` (the app's configured realms).
 * A bad request or a failed write rejects, so the relay's invoke reports a function error.
 */
export function slotRequestHandler(directory: SlotDirectory, realms: readonly string[]): (event: unknown) => Promise<SlotResponse> {
  const allowed = new Set(realms);
  const mayRecord = (realm: string) => {
    if (!allowed.has(realm)) throw new DirectoryRequestError(`directory writer request: realm ${JSON.stringify(realm)} is not one this function may record (${realms.join(', ')})`);
  };
  return async (event) => {
    const request = parseSlotRequest(event);
    switch (request.action) {
      case 'setRealm':
        mayRecord(request.realm);
        await directory.setSlot(request, request.realm);
        return {};
      case 'remove':
        await directory.removeSlot(request);
        return {};
      case 'realmOf':
        return { realm: (await directory.realmOfSlot(request)) ?? null };
      case 'reconcile':
        mayRecord(request.realm);
        return { reconciled: await directory.reconcileRealm(request.realm, request, request.slots.map((s) => slotOfString(s)!), request.remove.map((s) => slotOfString(s)!)) };
    }
  };
}
