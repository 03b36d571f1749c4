import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { readSettings } from './settings';
import { KmsKeySource } from '../crypto';
import { DynamoTenantStore } from '../tenants';

/** The realm's tenant store as the functions in the realm stack see it (one per cold start). */
export function tenantStoreFromEnvironment(): { store: DynamoTenantStore; settings: ReturnType<typeof settingsOf> } {
  const settings = settingsOf();
  const store = new DynamoTenantStore({
    client: new DynamoDBClient({}),
    tableName: settings.tableName,
    keySource: new KmsKeySource({ keyId: settings.keyArn, client: new KMSClient({}) }),
    app: settings.appKey,
    realm: settings.realm,
    shredAfterDays: settings.shredAfterDays,
  });
  return { store, settings };
}

function settingsOf() {
  return readSettings(['appKey', 'realm', 'baseUrl', 'tableName', 'keyArn', 'shredAfterDays']);
}
