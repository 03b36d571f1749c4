import { ForgeInstallation, InstallPayload, LiveTenant, Tenant } from './tenant';

/** One stored item of a tenant, with its version (1 for the first write, one more on each). */
export interface TenantItem<T = unknown> {
  /** The item id within the tenant. */
  readonly id: string;
  /** The JSON value. */
  readonly value: T;
  /** The version, for optimistic concurrency (`put(id, value, { ifVersion })`). */
  readonly version: number;
}

/** Conditions on a write; when one does not hold the write throws `ConflictError`. */
export interface WriteConditions {
  /** Write only when the item is at this version. */
  readonly ifVersion?: number;
  /** Write only when there is no item with this id. */
  readonly ifAbsent?: boolean;
}

/** Options of `TenantData.list`. */
export interface ListOptions {
  /** Items per page, 1 to 1000. @default 100 */
  readonly limit?: number;
  /** The `cursor` of the previous page, to read the next one. */
  readonly cursor?: string;
}

/** One page of a listing, in id order. */
export interface ItemPage<T = unknown> {
  /** The items of the page. */
  readonly items: TenantItem<T>[];
  /** Pass as `cursor` to read the next page; absent on the last page. */
  readonly cursor?: string;
}

/**
 * One tenant's JSON items, every one sealed with the tenant's data key: deleting the key
 * crypto-shreds them all, which plain (unsealed) items would survive, so there are none.
 * Another tenant's items are out of reach: ids are scoped to the tenant, cursors cannot
 * name another partition, and a value copied from elsewhere does not open.
 */
export interface TenantData {
  /** The item, or `undefined` when there is none. */
  get<T = unknown>(id: string): Promise<TenantItem<T> | undefined>;
  /**
   * Stores a JSON-serializable value of at most `MAX_ITEM_VALUE_BYTES` under `id`; returns
   * the new version. Throws `ConflictError` when a condition does not hold, `ItemTooLargeError` when too big.
   */
  put(id: string, value: unknown, conditions?: WriteConditions): Promise<number>;
  /** Deletes the item, if any (with `ifVersion`, only that version, else `ConflictError`). */
  delete(id: string, conditions?: Pick<WriteConditions, 'ifVersion'>): Promise<void>;
  /** The items whose ids start with `prefix`, a page at a time. */
  list<T = unknown>(prefix?: string, options?: ListOptions): Promise<ItemPage<T>>;
}

/** Tenants of one app in one realm: their lifecycle, shared secrets and data. */
export interface TenantStore {
  /**
   * Creates or updates the tenant from an `installed` event. Idempotent on redelivery; a
   * new shared secret replaces the old one; a reinstall during the grace period after
   * uninstall cancels the shred. Throws {@link TenantConflictError} when another clientKey
   * holds the installation.
   */
  install(payload: InstallPayload): Promise<Tenant>;
  /**
   * Registers a Forge installation (from Forge's `installed` event, or a first call where the
   * app allows it). Idempotent. When a Connect clientKey already holds the installation (a
   * Connect-on-Forge app) that tenant is returned unchanged: one installation, one tenant.
   */
  installForge(installation: ForgeInstallation): Promise<Tenant>;
  /**
   * The tenant id that holds a Forge installation id: the Connect clientKey of a Connect-on-Forge
   * installation, the installation id itself for a Forge app; `undefined` when none holds it.
   */
  tenantOfInstallation(installationId: string): Promise<string | undefined>;
  /**
   * Marks the tenant uninstalled and schedules its crypto-shred (DynamoDB TTL on its data
   * key) after the grace period. Idempotent; an unknown tenant is a no-op.
   */
  uninstall(clientKey: string): Promise<void>;
  /** Records an `enabled` or `disabled` event. An unknown or uninstalled tenant is a no-op. */
  setEnabled(clientKey: string, enabled: boolean): Promise<void>;
  /** The tenant, without its secret, or `undefined` when unknown. */
  get(clientKey: string): Promise<Tenant | undefined>;
  /** The tenant's shared secret while it is installed or disabled and its data key exists; otherwise `undefined`. */
  sharedSecret(clientKey: string): Promise<string | undefined>;
  /** The shared secret and base URL, read together now, under the same conditions as `sharedSecret`. */
  liveTenant(clientKey: string): Promise<LiveTenant | undefined>;
  /**
   * Deletes the tenant's data key now, making its secret and data unreadable, then its objects
   * (every version, when the store has an object purger) and its data items; an uninstalled tenant
   * also gives up its installation claim, and its record then says `shreddedAt`. Idempotent: an
   * interrupted shred run again finishes. Only a new install brings the tenant back (with a new key).
   */
  shred(clientKey: string): Promise<void>;
  /** The tenant's own data items. */
  dataFor(clientKey: string): TenantData;
  /**
   * Admits one write of the tenant's objects, counted as data writes are: `TenantFrozenError`
   * while a migration freezes the tenant or once its record left this realm. With
   * `uploadsUntil` (epoch ms, a presigned upload's expiry) it also records that time, which
   * a migration waits out before copying the tenant's objects.
   */
  admitObjectWrite(clientKey: string, uploadsUntil?: number): Promise<void>;
}
