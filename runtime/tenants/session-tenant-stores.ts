import { LRUCache } from 'lru-cache';
import type { TenantStores, TenantStoresFor } from '../app/tenant-context';
import { KmsKeySource } from '../crypto/kms-key-source';
import { S3ObjectStore } from '../migration/s3-object-store';
import { S3ObjectUrlSigner } from '../objects/object-url-signer';
import { S3ObjectPurger } from '../objects/object-purge';
import { DynamoTenantStore } from './dynamo-tenant-store';
import { InstallPayload, Tenant } from './tenant';
import { TenantData, TenantStore } from './tenant-store';
import { TenantClients, TenantSessions } from './tenant-sessions';

/** Props of {@link sessionTenantStores}. */
export interface SessionTenantStoresProps {
  /** The tenant sessions every call runs on. */
  readonly sessions: TenantSessions;
  /** The tenant table. */
  readonly tableName: string;
  /** ARN of the realm key. */
  readonly keyArn: string;
  /** The app key (encryption context `app`). */
  readonly appKey: string;
  /** The realm owning the stack (encryption context `realm`). */
  readonly realm: string;
  /** Days before an uninstalled tenant is shredded. */
  readonly shredAfterDays: number;
  /** The data bucket of `tenant.objects`. @default - none: object calls fail */
  readonly bucketName?: string;
  /** Most tenants whose stores are kept. @default 1000 */
  readonly max?: number;
}

/**
 * The realm's tenant store and `storesFor` on tenant sessions: every record, key, data item and
 * object of a tenant is read and written with that tenant's credentials (so IAM, not only this
 * code, keeps tenants apart), lifecycle hooks included. Nothing here falls back to the function's
 * own role, which has no data permission: a session that cannot start fails the call (503).
 */
export function sessionTenantStores(props: SessionTenantStoresProps): { readonly store: TenantStore; readonly storesFor: TenantStoresFor } {
  const cache = new LRUCache<string, TenantStores & { readonly store: DynamoTenantStore; readonly clients: TenantClients }>({ max: props.max ?? 1000 });
  const forTenant = async (tenant: string) => {
    const clients = await props.sessions.clientsFor(tenant);
    const cached = cache.get(tenant);
    // Clients live as long as the sessions' entry: a new entry (after eviction) gets new stores.
    if (cached?.clients === clients) return cached;
    const store = new DynamoTenantStore({
      client: clients.dynamo,
      tableName: props.tableName,
      keySource: new KmsKeySource({ keyId: props.keyArn, client: clients.kms }),
      app: props.appKey,
      realm: props.realm,
      shredAfterDays: props.shredAfterDays,
      // A shred (and a reinstall after one) deletes every version of the tenant's objects, on its session.
      ...(props.bucketName ? { objects: new S3ObjectPurger({ bucketName: props.bucketName, client: clients.s3 }) } : {}),
    });
    const objects = props.bucketName ? { objects: new S3ObjectStore({ bucketName: props.bucketName, client: clients.s3 }), signer: new S3ObjectUrlSigner({ bucketName: props.bucketName, client: clients.s3 }) } : undefined;
    const stores = { store, data: store.dataFor(tenant), objects: objects?.objects ?? NO_OBJECTS, ...(objects ? { signer: objects.signer } : {}), clients };
    cache.set(tenant, stores);
    return stores;
  };
  const store: TenantStore = {
    install: async (payload: InstallPayload): Promise<Tenant> => (await forTenant(payload?.clientKey)).store.install(payload),
    // A Forge installation is its own tenant id until a claim says otherwise; claim rows are open to every session.
    installForge: async (installation) => (await forTenant(installation?.installationId)).store.installForge(installation),
    tenantOfInstallation: async (installationId) => (await forTenant(installationId)).store.tenantOfInstallation(installationId),
    uninstall: async (clientKey) => (await forTenant(clientKey)).store.uninstall(clientKey),
    setEnabled: async (clientKey, enabled) => (await forTenant(clientKey)).store.setEnabled(clientKey, enabled),
    get: async (clientKey) => (await forTenant(clientKey)).store.get(clientKey),
    sharedSecret: async (clientKey) => (await forTenant(clientKey)).store.sharedSecret(clientKey),
    liveTenant: async (clientKey) => (await forTenant(clientKey)).store.liveTenant(clientKey),
    shred: async (clientKey) => (await forTenant(clientKey)).store.shred(clientKey),
    dataFor: (clientKey) => lazyData(async () => (await forTenant(clientKey)).data),
    admitObjectWrite: async (clientKey, uploadsUntil) => (await forTenant(clientKey)).store.admitObjectWrite(clientKey, uploadsUntil),
  };
  return { store, storesFor: forTenant };
}

function lazyData(data: () => Promise<TenantData>): TenantData {
  return {
    get: async (id) => (await data()).get(id),
    put: async (id, value, conditions) => (await data()).put(id, value, conditions),
    delete: async (id, conditions) => (await data()).delete(id, conditions),
    list: async (prefix, options) => (await data()).list(prefix, options),
  };
}

const noObjects = () => Promise.reject(new Error('tenant.objects is not configured for this app host (no data bucket)'));
const NO_OBJECTS = { list: noObjects, get: noObjects, put: noObjects, delete: noObjects };
