import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KeySource } from '../crypto';
import type { ObjectStore } from './object-store';

/** How the migration engine reaches one realm's storage (in that realm's region). */
export interface RealmEndpoint {
  /**
   * The realm that owns the realm's stack: its tenant store's encryption context `realm`.
   * Realms sharing one stack (EU and DE in Frankfurt) have the same `stackRealm` and table,
   * and a migration between them moves nothing but the directory entry.
   */
  readonly stackRealm: string;
  /** A DynamoDB client in the realm's region. */
  readonly client: DynamoDBClient;
  /** The realm's tenant table. */
  readonly tableName: string;
  /** The realm's key source (KMS with the realm key when deployed). */
  readonly keySource: KeySource;
  /**
   * The realm's object storage, when its stack has a data bucket.
   * @default - none: the realm keeps no tenant objects
   */
  readonly objects?: ObjectStore;
}

/**
 * Every realm a migration may start from or go to, by Atlassian realm name (`EU`, `US`, ...):
 * the migration `location`s this app supports. It includes the realm that runs the engine.
 */
export type RealmStores = Readonly<Record<string, RealmEndpoint>>;
