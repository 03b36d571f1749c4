import { ObjectPage, ObjectStore } from './object-store';

/** An {@link ObjectStore} in this process's memory: for `npm run dev` and tests. */
export class InMemoryObjectStore implements ObjectStore {
  private readonly objects = new Map<string, Uint8Array>();

  /** {@inheritDoc ObjectStore.list} */
  public async list(prefix: string, startAfter: string | undefined, limit: number): Promise<ObjectPage> {
    const keys = [...this.objects.keys()].filter((k) => k.startsWith(prefix) && (startAfter === undefined || k > startAfter)).sort();
    const page = keys.slice(0, limit);
    return { objects: page.map((key) => ({ key, size: this.objects.get(key)!.length })), more: keys.length > page.length };
  }

  /** {@inheritDoc ObjectStore.get} */
  public async get(key: string): Promise<Uint8Array | undefined> {
    const body = this.objects.get(key);
    return body && Uint8Array.from(body);
  }

  /** {@inheritDoc ObjectStore.put} */
  public async put(key: string, body: Uint8Array): Promise<void> {
    this.objects.set(key, Uint8Array.from(body));
  }

  /** {@inheritDoc ObjectStore.delete} */
  public async delete(key: string): Promise<void> {
    this.objects.delete(key);
  }

  /** Every key held, sorted. */
  public keys(): string[] {
    return [...this.objects.keys()].sort();
  }
}
