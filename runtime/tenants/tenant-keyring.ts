import { LRUCache } from 'lru-cache';
import { EncryptionContext, KeySource } from '../crypto';
import { KeyItem, TenantTable } from './tenant-table';
import { SingleFlight } from '../cache/single-flight';

/** A tenant's unwrapped data key and its generation. */
export interface TenantKey {
  readonly plaintext: Uint8Array;
  readonly kid: string;
}

/** Props of {@link TenantKeyring}. */
export interface TenantKeyringProps {
  readonly table: TenantTable;
  readonly keySource: KeySource;
  readonly app: string;
  readonly realm: string;
  readonly now: () => number;
  readonly ttlMs: number;
  readonly max: number;
}

/**
 * Tenants' unwrapped data keys, cached so a warm function makes no KMS call per request.
 * The cache never decides whether a key still exists: every use reads the key item
 * (consistently) and takes the cached plaintext only for that generation, so a shred,
 * an uninstall's TTL or a new key made by another function instance takes effect at once.
 * An entry lives at most `ttlMs`, and never past the key's own TTL.
 */
export class TenantKeyring {
  private readonly cache: LRUCache<string, TenantKey>;
  // One unwrap per key generation at a time, so a burst of cold requests makes one KMS call.
  private readonly loading = new SingleFlight<string, TenantKey>();

  constructor(private readonly props: TenantKeyringProps) {
    this.cache = new LRUCache<string, TenantKey>({
      max: props.max,
      ttl: props.ttlMs,
      ttlResolution: 0,
      perf: { now: props.now },
    });
  }

  /** The encryption context of a tenant's data key. */
  public contextOf(clientKey: string): EncryptionContext {
    return { app: this.props.app, realm: this.props.realm, tenant: clientKey };
  }

  /** Whether a key item is past its TTL (and so counts as shredded). */
  public isExpired(item: Pick<KeyItem, 'expiresAt'>): boolean {
    return item.expiresAt !== undefined && item.expiresAt * 1000 <= this.props.now();
  }

  /** The tenant's current data key, read now, or `undefined` when it has none (never installed, shredded, expired). */
  public async current(clientKey: string): Promise<TenantKey | undefined> {
    const item = await this.props.table.getKey(clientKey);
    if (!item || this.isExpired(item)) return undefined;
    return this.unwrap(clientKey, item);
  }

  /** The plaintext of a key item just read, from the cache when it holds that generation. */
  public async unwrap(clientKey: string, item: KeyItem): Promise<TenantKey> {
    const cached = this.cache.get(clientKey);
    if (cached?.kid === item.kid) return cached;
    return this.loading.run(`${clientKey}\u0000${item.kid}`, async () => {
      const key = await this.unwrapItem(clientKey, item);
      this.remember(clientKey, key, item.expiresAt);
      return key;
    });
  }

  /** Caches a key this process has just written or read. */
  public remember(clientKey: string, key: TenantKey, expiresAt?: number): void {
    const ttl = expiresAt === undefined ? this.props.ttlMs : Math.min(this.props.ttlMs, expiresAt * 1000 - this.props.now());
    if (ttl > 0) this.cache.set(clientKey, key, { ttl });
  }

  /** Drops the tenant's cached key (after uninstall or shred in this process): its plaintext leaves memory. */
  public forget(clientKey: string): void {
    this.cache.delete(clientKey);
  }

  private async unwrapItem(clientKey: string, item: KeyItem): Promise<TenantKey> {
    const plaintext = await this.props.keySource.unwrap(item.wrappedKey, this.contextOf(clientKey));
    return { plaintext, kid: item.kid };
  }
}
