import { formatBucket, realmCode } from './bucket-records';
import { KVS_MAX_BYTES } from './layout';
import { assertDirectoryKey, tenantSlot } from './tenant-slot';

/** One tenant and the realm that holds it. */
export interface DirectoryEntry {
  /** The Connect clientKey or Forge installation id. */
  readonly tenantId: string;
  /** The realm name, such as `EU`. */
  readonly realm: string;
}

/** A directory as a CloudFront KeyValueStore import file, with its figures. */
export interface DirectoryImage {
  /** The import file: `{"data":[{"key":..,"value":..},...]}`, UTF-8. */
  readonly json: string;
  /** Size of {@link json} in bytes (the import limit applies to it). */
  readonly bytes: number;
  /** Keys plus values in bytes: what the store itself holds. */
  readonly storedBytes: number;
  /** KVS entries (buckets). */
  readonly keys: number;
  /** Distinct tenants recorded. */
  readonly tenants: number;
  /** Tenants whose slot another tenant already took (each would be routed as the other). */
  readonly collisions: number;
  /** Records in the fullest bucket. */
  readonly fullestBucket: number;
}

/**
 * Builds the KVS import file of a directory holding `entries`, hashed under
 * `directoryKey`. The reserved entry with the key itself is *not* in the image, so the
 * file can be stored and moved without revealing anything; writers add it on first use
 * ({@link KeyValueStoreDirectory.ensureDirectoryKey}).
 * @throws TypeError naming the entry when a tenant id or realm is invalid, or a tenant appears twice with different realms
 * @throws DirectoryFormatError when a bucket overflows; RangeError when the file exceeds the 5 MB import limit
 */
export function buildDirectoryImage(entries: Iterable<DirectoryEntry>, directoryKey: string): DirectoryImage {
  assertDirectoryKey(directoryKey);
  const buckets = new Map<string, Map<string, string>>();
  const owners = new Map<string, string>();
  const realms = new Map<string, string>();
  let collisions = 0;
  let index = 0;
  for (const entry of entries) {
    const where = `directory entry ${index++}`;
    if (typeof entry?.tenantId !== 'string' || entry.tenantId === '') throw new TypeError(`${where}: tenantId must be a non-empty string`);
    realmCode(entry.realm);
    const seen = realms.get(entry.tenantId);
    if (seen !== undefined) {
      if (seen !== entry.realm) throw new TypeError(`${where}: tenant listed twice, in ${seen} and in ${entry.realm}`);
      continue;
    }
    realms.set(entry.tenantId, entry.realm);
    const { bucket, fingerprint } = tenantSlot(entry.tenantId, directoryKey);
    const slot = bucket + fingerprint;
    if (owners.has(slot)) {
      collisions++;
      continue;
    }
    owners.set(slot, entry.tenantId);
    let records = buckets.get(bucket);
    if (!records) buckets.set(bucket, (records = new Map()));
    records.set(fingerprint, entry.realm);
  }
  const data = [...buckets.keys()].sort().map((key) => ({ key, value: formatBucket(key, buckets.get(key)!) }));
  const json = JSON.stringify({ data });
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > KVS_MAX_BYTES) {
    throw new RangeError(`The directory image of ${realms.size} tenants takes ${bytes} bytes; a KeyValueStore import file takes at most ${KVS_MAX_BYTES}`);
  }
  return {
    json,
    bytes,
    storedBytes: data.reduce((n, e) => n + e.key.length + e.value.length, 0),
    keys: data.length,
    tenants: realms.size,
    collisions,
    fullestBucket: Math.max(0, ...[...buckets.values()].map((r) => r.size)),
  };
}
