import { InstallPayload, Tenant } from './tenant';

/**
 * One tenant's JSON items, sealed with the tenant's data key. Another tenant's items are
 * out of reach: ids are scoped to the tenant, and a value copied from elsewhere does not open.
 */
export interface TenantData {
  /** The item's value, or `undefined` when there is none. */
  get<T = unknown>(id: string): Promise<T | undefined>;
  /** Stores a JSON-serializable value under `id`, replacing any. */
  put(id: string, value: unknown): Promise<void>;
  /** Deletes the item, if any. */
  delete(id: string): Promise<void>;
  /** Every item of this tenant. */
  list(): Promise<{ id: string; value: unknown }[]>;
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
  /**
   * Deletes the tenant's data key now, making its secret and data unreadable; an
   * uninstalled tenant also gives up its installation claim. Only a new install brings it back (with a new key).
   */
  shred(clientKey: string): Promise<void>;
  /** The tenant's own data items. */
  dataFor(clientKey: string): TenantData;
}
