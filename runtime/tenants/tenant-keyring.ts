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
 * An entry lives at most `ttlMs`, and never past the key's own TTL (an uninstalled
 * tenant's key stops working at its shred time even before DynamoDB deletes it).
 */
export class TenantKeyring {
  private readonly cache: LRUCache<string, TenantKey>;
  // One load per tenant at a time, so a burst of cold requests makes one KMS call.
  private readonly loading = new SingleFlight<string, TenantKey | undefined>();
  // Counts forget() calls: a load that overlaps one (for any tenant) does not cache its result.
  private forgets = 0;

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

  /** The tenant's current data key, or `undefined` when it has none (never installed, shredded, expired). */
  public async current(clientKey: string): Promise<TenantKey | undefined> {
    const cached = this.cache.get(clientKey);
    if (cached) return cached;
    return this.loading.run(clientKey, () => this.load(clientKey));
  }

  /** The plaintext of a key item just read, from the cache when it holds that generation. */
  public async unwrap(clientKey: string, item: KeyItem): Promise<TenantKey> {
    const cached = this.cache.get(clientKey);
    if (cached?.kid === item.kid) return cached;
    const key = await this.unwrapItem(clientKey, item);
    this.remember(clientKey, key, item.expiresAt);
    return key;
  }

  /** Caches a key this process has just written or read. */
  public remember(clientKey: string, key: TenantKey, expiresAt?: number): void {
    const ttl = expiresAt === undefined ? this.props.ttlMs : Math.min(this.props.ttlMs, expiresAt * 1000 - this.props.now());
    if (ttl > 0) this.cache.set(clientKey, key, { ttl });
  }

  /** Drops the tenant's cached key (after install, uninstall or shred in this process). */
  public forget(clientKey: string): void {
    this.cache.delete(clientKey);
    this.loading.forget(clientKey);
    this.forgets++;
  }

  private async load(clientKey: string): Promise<TenantKey | undefined> {
    const forgets = this.forgets;
    const item = await this.props.table.getKey(clientKey);
    if (!item || this.isExpired(item)) return undefined;
    const key = await this.unwrapItem(clientKey, item);
    // A forget() while this load ran means the key may have changed: use it once, don't keep it.
    if (this.forgets === forgets) this.remember(clientKey, key, item.expiresAt);
    return key;
  }

  private async unwrapItem(clientKey: string, item: KeyItem): Promise<TenantKey> {
    const plaintext = await this.props.keySource.unwrap(item.wrappedKey, this.contextOf(clientKey));
    return { plaintext, kid: item.kid };
  }
}
