import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { KmsKeySource } from '../crypto';
import type { TenantDirectory } from '../directory/tenant-directory';
import { MigrationEngine } from '../migration/migration-engine';
import type { RealmEndpoint, RealmStores } from '../migration/realm-stores';
import { S3ObjectStore } from '../migration/s3-object-store';
import { ENV } from './environment';
import { MigrationRealmSettings, readSettings } from './settings';

/**
 * The migration engine's view of every realm, from the settings: a DynamoDB, KMS and S3
 * client in each realm's own region (so every call for a realm's data goes to that region).
 */
export function realmStoresFromSettings(realms: Readonly<Record<string, MigrationRealmSettings>>): RealmStores {
  const byRegion = new Map<string, { dynamo: DynamoDBClient; kms: KMSClient; s3: S3Client }>();
  const clientsFor = (region: string) => {
    let clients = byRegion.get(region);
    if (!clients) {
      clients = { dynamo: new DynamoDBClient({ region }), kms: new KMSClient({ region }), s3: new S3Client({ region }) };
      byRegion.set(region, clients);
    }
    return clients;
  };
  const stores: Record<string, RealmEndpoint> = {};
  for (const [name, realm] of Object.entries(realms)) {
    const clients = clientsFor(realm.region);
    stores[name] = {
      stackRealm: realm.stackRealm,
      client: clients.dynamo,
      tableName: realm.tableName,
      keySource: new KmsKeySource({ keyId: realm.keyArn, client: clients.kms }),
      ...(realm.bucketName ? { objects: new S3ObjectStore({ bucketName: realm.bucketName, client: clients.s3 }) } : {}),
    };
  }
  return stores;
}

/**
 * The realm's migration engine as the app function builds it at cold start, from
 * `RESIDENCY_APP_KEY`, `RESIDENCY_REALM`, `RESIDENCY_MIGRATION_REALMS` and
 * `RESIDENCY_MIGRATION_MAX_CONCURRENT`.
 * @throws Error naming every missing or malformed variable
 */
export function migrationEngineFromEnvironment(directory: TenantDirectory, env: NodeJS.ProcessEnv = process.env): MigrationEngine {
  const settings = readSettings(['appKey', 'realm', 'migrationRealms', 'migrationMaxConcurrent'], env);
  if (!settings.migrationRealms[settings.realm]) {
    throw new Error(`cdk-residency runtime settings: ${ENV.migrationRealms} has no entry for this realm (${settings.realm})`);
  }
  return new MigrationEngine({
    app: settings.appKey,
    realm: settings.realm,
    realms: realmStoresFromSettings(settings.migrationRealms),
    directory,
    maxConcurrent: settings.migrationMaxConcurrent,
  });
}
