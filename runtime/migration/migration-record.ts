import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocument } from '@aws-sdk/lib-dynamodb';
import { conditional } from '../tenants/conditional-write';
import { tenantPartition } from '../tenants/item-keys';
import { TABLE_LAYOUT } from '../tenants/table-layout';
import type { MigrationErrorCode } from './migration-refusal';

/**
 * Where a migration is:
 * `scheduled` -> `copying` -> `verifying` -> `ready` -> `committing` -> `committed`, or
 * `rolling-back` -> `rolled-back` from any state before `committing`; `failed` when the copy
 * or its verification found a permanent problem (a rollback follows); `cancelled` when a
 * newer migration of the tenant was scheduled before this one started.
 */
export type MigrationState =
  | 'scheduled' | 'copying' | 'verifying' | 'ready' | 'committing' | 'committed'
  | 'rolling-back' | 'rolled-back' | 'failed' | 'cancelled';

/** States after which nothing more happens to a migration. */
export const FINISHED_STATES: ReadonlySet<MigrationState> = new Set(['committed', 'rolled-back', 'cancelled']);

/**
 * One migration of one tenant, kept in the source realm's table (partition of the tenant,
 * sort key `MIGRATION#<id>`). Every change is a whole-item write conditional on `version`,
 * so two hook calls working on one migration never both advance it.
 */
export interface MigrationRecord {
  /** The tenant (Connect clientKey or Forge installation id). */
  readonly tenant: string;
  /** Atlassian's migration id. */
  readonly migrationId: string;
  /** The target realm. */
  readonly location: string;
  /** When the migration window opens, as Atlassian sent it. */
  readonly startTime?: string;
  /** When the migration window closes, as Atlassian sent it. */
  readonly endTime?: string;
  /** Where the migration is. */
  readonly state: MigrationState;
  /** The step within the state that runs next (see the engine). */
  readonly step?: string;
  /** How far the step got: the last sort key or object key it finished. */
  readonly cursor?: string;
  /** The tenant's open-migration generation this migration holds (see `OpenMigrations`). */
  readonly generation?: number;
  /** The tenant's `writeVersion` when this migration froze it: commit proves it unchanged. */
  readonly frozenWrites?: number;
  /** Until when (epoch ms) uploads through URLs presigned before the freeze may land: objects are copied after it. */
  readonly uploadsUntil?: number;
  /** The concurrency slot held while the migration is open. */
  readonly slot?: number;
  /** Source and target are one stack: only the directory entry moves. */
  readonly inPlace: boolean;
  /** The tenant's source data key generation at the start of the copy. */
  readonly sourceKid?: string;
  /** The data key generation this migration created in the target realm. */
  readonly targetKid?: string;
  /** Set before the first write to the target realm: a rollback cleans the target only then. */
  readonly targetWritten?: boolean;
  /** The installation the tenant claims (released in the source on commit). */
  readonly installation?: string;
  /** Items and objects verified so far in the source realm. */
  readonly sourceCount?: number;
  /** Items and objects verified so far in the target realm. */
  readonly targetCount?: number;
  /** A running SHA-256 over what was verified in the source realm. */
  readonly sourceDigest?: string;
  /** A running SHA-256 over what was verified in the target realm. */
  readonly targetDigest?: string;
  /** Why the migration failed (for the log; names no value). */
  readonly failure?: string;
  /** The code the status hook reports for a failed migration. */
  readonly errorCode?: MigrationErrorCode;
  /** Until when (epoch ms) one hook call works on the migration; others leave it alone. */
  readonly leaseUntil?: number;
  /** Which call holds the lease. */
  readonly leaseId?: string;
  /** A rollback waits until then (epoch ms) for a copier it interrupted to stop writing. */
  readonly fenceUntil?: number;
  /** When the migration was scheduled (ISO 8601). */
  readonly createdAt: string;
  /** When the record last changed (ISO 8601). */
  readonly updatedAt: string;
  /** DynamoDB TTL (epoch seconds) once the migration is finished. */
  readonly expiresAt?: number;
  /** Incremented by every write; each write is conditional on the version it read. */
  readonly version: number;
}

/** Changes to a record; an `undefined` value removes the attribute. */
export type MigrationChanges = { -readonly [K in keyof MigrationRecord]?: MigrationRecord[K] | undefined };

const PK = TABLE_LAYOUT.partitionKey;
const SK = TABLE_LAYOUT.sortKey;
const PREFIX = 'MIGRATION#';

/** The migration records of one realm's tenant table. */
export class MigrationRecords {
  private readonly doc: DynamoDBDocument;

  constructor(client: DynamoDBClient, private readonly tableName: string) {
    this.doc = DynamoDBDocument.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  /** The record of `migrationId` for `tenant`, read consistently. */
  public async get(tenant: string, migrationId: string): Promise<MigrationRecord | undefined> {
    const out = await this.doc.get({ TableName: this.tableName, Key: this.key(tenant, migrationId), ConsistentRead: true });
    return out.Item ? strip(out.Item) : undefined;
  }

  /** Every migration record of `tenant`. */
  public async list(tenant: string): Promise<MigrationRecord[]> {
    const records: MigrationRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.query({
        TableName: this.tableName,
        ConsistentRead: true,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
        ExpressionAttributeValues: { ':pk': tenantPartition(tenant), ':prefix': PREFIX },
        ExclusiveStartKey: start,
      });
      records.push(...(out.Items ?? []).map(strip));
      start = out.LastEvaluatedKey;
    } while (start);
    return records;
  }

  /** Creates the record (version 1); false when one with its id already exists. */
  public async create(record: Omit<MigrationRecord, 'version'>): Promise<boolean> {
    return conditional(() =>
      this.doc.put({
        TableName: this.tableName,
        Item: { ...this.key(record.tenant, record.migrationId), ...record, version: 1 },
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': PK },
      }),
    );
  }

  /** Applies `changes` to `record`: the new record, or undefined when another call changed it first. */
  public async update(record: MigrationRecord, changes: MigrationChanges, now: string): Promise<MigrationRecord | undefined> {
    const next = { ...record, ...changes, updatedAt: now, version: record.version + 1 } as MigrationRecord;
    const written = await conditional(() =>
      this.doc.put({
        TableName: this.tableName,
        Item: { ...this.key(record.tenant, record.migrationId), ...next },
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': record.version },
      }),
    );
    if (!written) return undefined;
    for (const [name, value] of Object.entries(next)) if (value === undefined) delete (next as unknown as Record<string, unknown>)[name];
    return next;
  }

  private key(tenant: string, migrationId: string): Record<string, string> {
    return { [PK]: tenantPartition(tenant), [SK]: `${PREFIX}${migrationId}` };
  }
}

/** Whether an item's sort key is a migration record's (so tenant-wide deletes leave it alone). */
export function isMigrationSortKey(sortKey: string): boolean {
  return sortKey.startsWith(PREFIX);
}

function strip(item: Record<string, unknown>): MigrationRecord {
  const { [PK]: _pk, [SK]: _sk, ...rest } = item;
  return rest as unknown as MigrationRecord;
}
