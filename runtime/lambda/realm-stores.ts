import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { KmsKeySource } from '../crypto';
import type { TenantDirectory } from '../directory/tenant-directory';
import { MigrationContinuation, MigrationEngine } from '../migration/migration-engine';
import type { RealmEndpoint, RealmStores } from '../migration/realm-stores';
import { S3ObjectStore } from '../migration/s3-object-store';
import { ENV } from './environment';
import { MigrationRealmSettings, readSettings } from './settings';

const CLIENT_ATTEMPTS = 2;
const DYNAMO_TIMEOUT_MS = 1500;
const S3_TIMEOUT_MS = 3000;
/** The deployed engine's lease: longer than a step (one Query page or one round of object copies) plus the write margin. */
export const DEPLOYED_LEASE_MS = 10_000;
/** The deployed engine's write margin: above the longest a write request may take with its retry. */
export const DEPLOYED_WRITE_MARGIN_MS = CLIENT_ATTEMPTS * S3_TIMEOUT_MS + 1000;

/**
 * The migration engine's view of every realm, from the settings: a DynamoDB, KMS and S3
 * client in each realm's own region (so every call for a realm's data goes to that region).
 */
export function realmStoresFromSettings(realms: Readonly<Record<string, MigrationRealmSettings>>): RealmStores {
  const byRegion = new Map<string, { dynamo: DynamoDBClient; kms: KMSClient; s3: S3Client }>();
  const clientsFor = (region: string) => {
    let clients = byRegion.get(region);
    if (!clients) {
      // Request timeouts and attempts bound how long a write may take: below the engine's write margin (the copy's time fence).
      clients = {
        dynamo: new DynamoDBClient({ region, maxAttempts: CLIENT_ATTEMPTS, requestHandler: { requestTimeout: DYNAMO_TIMEOUT_MS, connectionTimeout: 1000 } }),
        kms: new KMSClient({ region }),
        s3: new S3Client({ region, maxAttempts: CLIENT_ATTEMPTS, requestHandler: { requestTimeout: S3_TIMEOUT_MS, connectionTimeout: 1000 } }),
      };
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
 * `RESIDENCY_MIGRATION_MAX_CONCURRENT`; with `continuation` (the function's own, {@link LambdaContinuation}) the work runs on its own.
 * @throws Error naming every missing or malformed variable
 */
export function migrationEngineFromEnvironment(directory: TenantDirectory, env: NodeJS.ProcessEnv = process.env, continuation?: MigrationContinuation): MigrationEngine {
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
    leaseMs: DEPLOYED_LEASE_MS,
    writeMarginMs: DEPLOYED_WRITE_MARGIN_MS,
    ...(continuation ? { continuation } : {}),
  });
}
