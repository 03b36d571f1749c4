/**
 * The global tenant directory: which realm holds each tenant. It stores only keyed hashes
 * of tenant ids (never the ids), so it may rest outside every tenant's jurisdiction.
 * The realm that receives `installed` writes it; `uninstalled` and a committed migration
 * update it. Implementations: the CloudFront KeyValueStore (deployed) and an in-process
 * map (dev mode and tests).
 */
export interface TenantDirectory {
  /** Records that `tenantId` (a Connect clientKey or Forge installation id) lives in `realm`. */
  setRealm(tenantId: string, realm: string): Promise<void>;
  /** Forgets `tenantId`; removing an absent tenant is not an error. */
  remove(tenantId: string): Promise<void>;
  /** The realm recorded for `tenantId`, or undefined. */
  realmOf(tenantId: string): Promise<string | undefined>;
}
