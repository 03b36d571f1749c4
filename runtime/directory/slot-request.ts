import { realmCode } from './bucket-records';
import { DirectoryRequestError } from './directory-request';
import { DIRECTORY_LAYOUT } from './layout';
import type { TenantSlot } from './tenant-slot';

/**
 * One call on the edge's directory writer, as a realm's relay sends it: a tenant's slot
 * (bucket and fingerprint, hashed inside the realm), never its id. `reconcile` carries every
 * slot the realm holds, so the writer can heal entries a failed write left behind.
 */
export type SlotRequest =
  | { readonly action: 'setRealm'; readonly bucket: string; readonly fingerprint: string; readonly realm: string }
  | { readonly action: 'remove'; readonly bucket: string; readonly fingerprint: string }
  | { readonly action: 'realmOf'; readonly bucket: string; readonly fingerprint: string }
  | { readonly action: 'reconcile'; readonly realm: string; readonly slots: readonly string[] };

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
}

/** A directory addressed by slot: what the edge's writer offers the realms. */
export interface SlotDirectory {
  /** Records `slot` in `realm`. */
  setSlot(slot: TenantSlot, realm: string): Promise<void>;
  /** Forgets `slot`; an absent slot is not an error. */
  removeSlot(slot: TenantSlot): Promise<void>;
  /** The realm recorded for `slot`, or undefined. */
  realmOfSlot(slot: TenantSlot): Promise<string | undefined>;
  /** Makes `realm`'s records exactly `slots` (except slots another realm holds), rewriting only buckets that disagree. */
  reconcileRealm(realm: string, slots: readonly TenantSlot[]): Promise<ReconcileResult>;
}

const BUCKET = new RegExp(`^[A-Za-z0-9_-]{${DIRECTORY_LAYOUT.bucketWholeChars}}[${DIRECTORY_LAYOUT.bucketTailAlphabet}]$`);
const FINGERPRINT = new RegExp(`^[A-Za-z0-9_-]{${DIRECTORY_LAYOUT.fingerprintLength}}$`);
const SLOT_CHARS = DIRECTORY_LAYOUT.bucketKeyLength + DIRECTORY_LAYOUT.fingerprintLength;
// 18 bytes a slot in JSON: 300,000 slots stay under Lambda's 6 MB synchronous payload.
const MAX_RECONCILE_SLOTS = 300_000;

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

/**
 * Checks an incoming {@link SlotRequest}. A request that carries a `tenantId` is refused
 * outright: tenant ids are hashed in their realm and never reach the edge.
 * @throws DirectoryRequestError saying which field is wrong (never echoing a value that could be an id)
 */
export function parseSlotRequest(event: unknown): SlotRequest {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) throw new DirectoryRequestError('directory writer request: expected a JSON object');
  const { action, bucket, fingerprint, realm, slots, ...rest } = event as Record<string, unknown>;
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
    if (!Array.isArray(slots) || slots.length > MAX_RECONCILE_SLOTS) throw new DirectoryRequestError(`directory writer request: reconcile needs slots, an array of at most ${MAX_RECONCILE_SLOTS}`);
    const bad = slots.findIndex((s) => slotOfString(s) === undefined);
    if (bad >= 0) throw new DirectoryRequestError(`directory writer request: slots[${bad}] is not a bucket and fingerprint of ${SLOT_CHARS} characters`);
    return { action, realm: realmOk(), slots: slots as string[] };
  }
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
        return { reconciled: await directory.reconcileRealm(request.realm, request.slots.map((s) => slotOfString(s)!)) };
    }
  };
}
