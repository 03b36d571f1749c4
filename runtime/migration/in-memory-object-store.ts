import { compareUtf8 } from './key-order';
import { ObjectPage, ObjectStore, StoredBody } from './object-store';

/** An {@link ObjectStore} in this process's memory: for `npm run dev` and tests. */
export class InMemoryObjectStore implements ObjectStore {
  private readonly objects = new Map<string, StoredBody>();

  /** {@inheritDoc ObjectStore.list} */
  public async list(prefix: string, startAfter: string | undefined, limit: number): Promise<ObjectPage> {
    const keys = [...this.objects.keys()].filter((k) => k.startsWith(prefix) && (startAfter === undefined || compareUtf8(k, startAfter) > 0)).sort(compareUtf8);
    const page = keys.slice(0, limit);
    return { objects: page.map((key) => ({ key, size: this.objects.get(key)!.body.length })), more: keys.length > page.length };
  }

  /** {@inheritDoc ObjectStore.get} */
  public async get(key: string): Promise<StoredBody | undefined> {
    const stored = this.objects.get(key);
    return stored && { ...stored, body: Uint8Array.from(stored.body) };
  }

  /** {@inheritDoc ObjectStore.put} */
  public async put(key: string, body: Uint8Array, contentType?: string, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.objects.set(key, contentType === undefined ? { body: Uint8Array.from(body) } : { body: Uint8Array.from(body), contentType });
  }

  /** {@inheritDoc ObjectStore.delete} */
  public async delete(key: string): Promise<void> {
    this.objects.delete(key);
  }

  /** Every key held, in S3's (UTF-8 byte) order. */
  public keys(): string[] {
    return [...this.objects.keys()].sort(compareUtf8);
  }
}
