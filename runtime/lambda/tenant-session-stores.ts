import { TenantSessions } from '../tenants/tenant-sessions';
import { sessionTenantStores } from '../tenants/session-tenant-stores';
import { ENV } from './environment';
import { readSettings } from './settings';

/**
 * The app function's tenant store and `storesFor`, on tenant sessions of `RESIDENCY_TENANT_ROLE_ARN`
 * (with the table, key, app, realm and shred settings, and `RESIDENCY_BUCKET_NAME` when set).
 * @throws Error naming every missing or malformed variable (at cold start)
 */
export function tenantSessionStoresFromEnvironment(env: NodeJS.ProcessEnv = process.env) {
  const settings = readSettings(['appKey', 'realm', 'baseUrl', 'tableName', 'keyArn', 'shredAfterDays', 'tenantRoleArn'], env);
  const bucketName = env[ENV.bucketName] || undefined;
  const sessions = new TenantSessions({ roleArn: settings.tenantRoleArn });
  const stores = sessionTenantStores({ sessions, tableName: settings.tableName, keyArn: settings.keyArn, appKey: settings.appKey, realm: settings.realm, shredAfterDays: settings.shredAfterDays, bucketName });
  return { ...stores, settings, sessions };
}
