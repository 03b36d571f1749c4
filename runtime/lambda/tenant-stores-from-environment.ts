import { S3Client } from '@aws-sdk/client-s3';
import type { TenantStoresFor } from '../app/tenant-context';
import { S3ObjectStore } from '../migration/s3-object-store';
import { S3ObjectUrlSigner } from '../objects/object-url-signer';
import type { TenantStore } from '../tenants';
import { ENV } from './environment';

/**
 * Each tenant's stores as the app function builds them, from `RESIDENCY_BUCKET_NAME`: its items
 * in the tenant table, its objects in the realm bucket and a signer for presigned URLs. Without
 * a bucket name `tenant.objects` is left unconfigured (its calls fail with a clear error). This
 * is the one place per-tenant session credentials replace the function's own.
 */
export function tenantStoresFromEnvironment(store: Pick<TenantStore, 'dataFor'>, env: NodeJS.ProcessEnv = process.env): TenantStoresFor | undefined {
  const bucketName = env[ENV.bucketName];
  if (!bucketName) return undefined;
  const client = new S3Client({});
  const objects = new S3ObjectStore({ bucketName, client });
  const signer = new S3ObjectUrlSigner({ bucketName, client });
  return (tenantId) => ({ data: store.dataFor(tenantId), objects, signer });
}
