import { ObjectStore, StoredBody, tenantObjectPrefix } from '../migration/object-store';
import { InvalidCursorError, ItemTooLargeError } from '../tenants/data-errors';
import { checkObjectKey } from './object-key';
import { ObjectUrlSigner } from './object-url-signer';

/** Largest object `put` takes in one call (a Lambda request or response is at most 6 MB): bigger ones go up by `presignPut`. */
export const MAX_OBJECT_BYTES = 5 * 1024 * 1024;

/** Longest life of a presigned URL: 15 minutes. */
export const MAX_PRESIGN_SECONDS = 15 * 60;

/** Life of a presigned URL when none is asked for: 5 minutes. */
export const DEFAULT_PRESIGN_SECONDS = 5 * 60;

/** What `put` takes: bytes, a string (stored as UTF-8), or a stream of bytes. */
export type ObjectBody = Uint8Array | string | AsyncIterable<Uint8Array | string>;

/** One object of a listing: its key below the tenant's prefix and its size. */
export interface TenantObject {
  readonly key: string;
  readonly size: number;
}

/** One page of a listing, in key order. */
export interface ObjectListPage {
  readonly objects: TenantObject[];
  /** Pass as `cursor` to read the next page; absent on the last page. */
  readonly cursor?: string;
}

/** Props of {@link TenantObjects}. */
export interface TenantObjectsProps {
  /** The tenant id: its objects live under `tenants/<id>/` (`tenantObjectPrefix`), which migrations move. */
  readonly tenant: string;
  /** The realm's object store. */
  readonly store: ObjectStore;
  /** Signs presigned URLs. @default - `presignGet`/`presignPut` throw: this store cannot sign URLs */
  readonly signer?: ObjectUrlSigner;
  /**
   * Admits one write of the tenant's objects (`TenantStore.admitObjectWrite`): rejects with
   * `TenantFrozenError` (503 with Retry-After) while a migration freezes the tenant or once it
   * left this realm; `uploadsUntil` (epoch ms) is when a presigned upload may land until.
   * @default - writes are not checked (a store with no tenant table, as in unit tests)
   */
  readonly admitWrite?: (uploadsUntil?: number) => Promise<void>;
  /** Epoch milliseconds (a presigned upload's expiry). @default Date.now */
  readonly now?: () => number;
}

/**
 * One tenant's objects in the realm bucket, under the tenant's prefix. Keys are relative
 * to that prefix, so no key or cursor can name another tenant's objects.
 */
export class TenantObjects {
  private readonly prefix: string;

  constructor(private readonly props: TenantObjectsProps) {
    this.prefix = tenantObjectPrefix(props.tenant);
  }

  /** The object and its content type, or undefined when there is none. */
  public async get(key: string): Promise<StoredBody | undefined> {
    return this.props.store.get(this.fullKey(key));
  }

  /** Writes the object (at most `MAX_OBJECT_BYTES`), replacing any; `ItemTooLargeError` when bigger. */
  public async put(key: string, body: ObjectBody, options: { readonly contentType?: string } = {}): Promise<void> {
    const full = this.fullKey(key);
    const bytes = await bytesOf(key, body);
    await this.props.admitWrite?.();
    await this.props.store.put(full, bytes, options.contentType);
  }

  /** Deletes the object; deleting an absent object is not an error. */
  public async delete(key: string): Promise<void> {
    const full = this.fullKey(key);
    await this.props.admitWrite?.();
    await this.props.store.delete(full);
  }

  /** The objects whose keys start with `prefix`, a page at a time. */
  public async list(prefix = '', options: { readonly limit?: number; readonly cursor?: string } = {}): Promise<ObjectListPage> {
    if (prefix !== '') checkObjectKey(prefix, 'object prefix');
    const limit = options.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new RangeError(`list limit must be an integer from 1 to 1000, got ${limit}`);
    const after = options.cursor === undefined ? undefined : this.prefix + cursorKey(options.cursor, prefix);
    const page = await this.props.store.list(this.prefix + prefix, after, limit);
    const objects = page.objects.map((o) => ({ key: o.key.slice(this.prefix.length), size: o.size }));
    const last = objects.at(-1)?.key;
    return page.more && last !== undefined ? { objects, cursor: Buffer.from(last, 'utf8').toString('base64url') } : { objects };
  }

  /** A URL that downloads the object for `expiresIn` seconds (at most 900). @default expiresIn 300 */
  public async presignGet(key: string, options: { readonly expiresIn?: number } = {}): Promise<string> {
    return this.presign({ method: 'GET', key: this.fullKey(key), expiresIn: lifetime(options.expiresIn) });
  }

  /** A URL that uploads the object (declaring `contentType` when given) for `expiresIn` seconds (at most 900). @default expiresIn 300 */
  public async presignPut(key: string, options: { readonly expiresIn?: number; readonly contentType?: string } = {}): Promise<string> {
    const full = this.fullKey(key);
    const expiresIn = lifetime(options.expiresIn);
    // Not issued while the tenant is frozen; one issued before a freeze is waited out by the migration.
    await this.props.admitWrite?.((this.props.now ?? Date.now)() + expiresIn * 1000);
    return this.presign({ method: 'PUT', key: full, expiresIn, ...(options.contentType ? { contentType: options.contentType } : {}) });
  }

  private presign(request: Parameters<ObjectUrlSigner['presign']>[0]): Promise<string> {
    if (!this.props.signer) return Promise.reject(new Error('tenant.objects cannot presign URLs here: the object store has no URL signer (the dev server keeps objects in memory)'));
    return this.props.signer.presign(request);
  }

  private fullKey(key: string): string {
    return this.prefix + checkObjectKey(key);
  }
}

function lifetime(expiresIn: number | undefined): number {
  const seconds = expiresIn ?? DEFAULT_PRESIGN_SECONDS;
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_PRESIGN_SECONDS) {
    throw new RangeError(`expiresIn must be a whole number of seconds from 1 to ${MAX_PRESIGN_SECONDS}, got ${String(expiresIn)}`);
  }
  return seconds;
}

// A cursor is the last key read, below the tenant's prefix: it can only move within it, under `prefix`.
function cursorKey(cursor: string, prefix: string): string {
  const key = typeof cursor === 'string' && /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (!key.startsWith(prefix)) throw new InvalidCursorError(`not under prefix ${JSON.stringify(prefix)}`);
  try {
    return checkObjectKey(key);
  } catch {
    throw new InvalidCursorError('malformed');
  }
}

async function bytesOf(key: string, body: ObjectBody): Promise<Uint8Array> {
  if (typeof body === 'string' || body instanceof Uint8Array) {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    if (bytes.length > MAX_OBJECT_BYTES) throw new ItemTooLargeError(key, bytes.length, MAX_OBJECT_BYTES);
    return bytes;
  }
  // A stream is read up to the limit, and refused as soon as it passes it.
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
    size += bytes.length;
    if (size > MAX_OBJECT_BYTES) throw new ItemTooLargeError(key, size, MAX_OBJECT_BYTES);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}
