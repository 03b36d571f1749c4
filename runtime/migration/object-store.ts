/** One stored object: its key and size in bytes. */
export interface StoredObject {
  /** The object key. */
  readonly key: string;
  /** The size in bytes. */
  readonly size: number;
}

/** One page of a listing, in ascending key order. */
export interface ObjectPage {
  /** The objects of the page. */
  readonly objects: readonly StoredObject[];
  /** Whether more objects follow the last one of this page. */
  readonly more: boolean;
}

/** An object's bytes and the content type it was written with. */
export interface StoredBody {
  /** The bytes. */
  readonly body: Uint8Array;
  /** The content type given on write, if any. */
  readonly contentType?: string;
}

/**
 * A realm's object storage as the migration engine needs it: S3 when deployed
 * (`S3ObjectStore`), in process for dev mode and tests (`InMemoryObjectStore`).
 */
export interface ObjectStore {
  /** Up to `limit` objects whose keys start with `prefix` and sort after `startAfter`, in key order. */
  list(prefix: string, startAfter: string | undefined, limit: number): Promise<ObjectPage>;
  /** The object's bytes and content type, or undefined when there is no such object. */
  get(key: string): Promise<StoredBody | undefined>;
  /**
   * Writes the object, replacing any; not once `signal` aborted (then it rejects with the
   * signal's reason, or an `AbortError`): a migration's copy passes one that aborts at its lease's end.
   */
  put(key: string, body: Uint8Array, contentType?: string, signal?: AbortSignal): Promise<void>;
  /** Deletes the object; deleting an absent object is not an error. */
  delete(key: string): Promise<void>;
}

/**
 * Where a tenant's objects live in its realm's bucket: `tenants/<tenantObjectSegment(id)>/`.
 */
export function tenantObjectPrefix(tenant: string): string {
  return `tenants/${tenantObjectSegment(tenant)}/`;
}

/**
 * The tenant id as one key segment: letters, digits, `.`, `_` and `-` as they are, every other
 * UTF-8 byte as `=XX`. Escaping keeps an id containing `/` out of another tenant's prefix; `=`
 * rather than URI `%` because the segment is also an STS session tag value, which refuses `%`.
 * UUID clientKeys are unchanged (so is their prefix under the former URI encoding).
 */
export function tenantObjectSegment(tenant: string): string {
  return tenant.replace(/[^A-Za-z0-9._-]/gu, (c) => [...Buffer.from(c, 'utf8')].map((b) => `=${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
}
