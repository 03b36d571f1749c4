import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocument } from '@aws-sdk/lib-dynamodb';
import { conditional } from '../tenants/conditional-write';
import { tenantPartition } from '../tenants/item-keys';
import { TABLE_LAYOUT } from '../tenants/table-layout';

const PK = TABLE_LAYOUT.partitionKey;
const SK = TABLE_LAYOUT.sortKey;
/** Sort key of the tenant's open-migration item (outside `MIGRATION#`, so it is never listed as a record). */
export const OPEN_MIGRATION_SORT_KEY = 'MIGRATION-OPEN';

/** Which migration of a tenant is the live one, and its generation. */
export interface OpenMigration {
  /** The migration that holds the tenant. */
  readonly migrationId: string;
  /** One more than the previous holder's (from 1 again once a released item expired): every write the migration makes names it. */
  readonly generation: number;
  /** Whether the holder is still open (false once it committed, rolled back or was cancelled). */
  readonly open: boolean;
  /** Epoch seconds after which an open holder counts as abandoned (its window plus a margin). */
  readonly staleAt: number;
}

/**
 * The one open migration of each tenant, as one item in the source realm's tenant partition.
 * Taking it is a single conditional write on the generation read, so of two schedules
 * racing for one tenant exactly one wins; the loser is refused and holds nothing.
 */
export class OpenMigrations {
  private readonly doc: DynamoDBDocument;

  constructor(client: DynamoDBClient, private readonly tableName: string) {
    this.doc = DynamoDBDocument.from(client);
  }

  /** The tenant's open-migration item, read consistently. */
  public async get(tenant: string): Promise<OpenMigration | undefined> {
    const out = await this.doc.get({ TableName: this.tableName, Key: this.key(tenant), ConsistentRead: true });
    if (!out.Item) return undefined;
    const { migrationId, generation, open, staleAt } = out.Item;
    return { migrationId, generation, open, staleAt } as OpenMigration;
  }

  /**
   * Makes `migrationId` the tenant's live migration, when no other is open (or the open one
   * is finished, as `finished` says, or abandoned): its generation, or undefined when another holds the tenant.
   */
  public async take(tenant: string, migrationId: string, staleAt: number, nowSeconds: number, finished: (holder: string) => Promise<boolean>): Promise<number | undefined> {
    // Again only when the item read was deleted meanwhile (its TTL ran out) or is still free: no one won.
    for (let attempt = 0; ; attempt++) {
      const held = await this.get(tenant);
      if (held?.migrationId === migrationId) return held.generation;
      if (held && held.open && held.staleAt > nowSeconds && !(await finished(held.migrationId))) return undefined;
      const generation = (held?.generation ?? 0) + 1;
      const taken = await conditional(() =>
        this.doc.put({
          TableName: this.tableName,
          Item: { ...this.key(tenant), migrationId, generation, open: true, staleAt },
          ...(held
            ? { ConditionExpression: 'generation = :g', ExpressionAttributeValues: { ':g': held.generation } }
            : { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': PK } }),
        }),
      );
      if (taken) return generation;
      const winner = await this.get(tenant);
      if (winner?.migrationId === migrationId) return winner.generation;
      if ((winner && winner.open) || attempt === 2) return undefined;
    }
  }

  /**
   * Marks the tenant free again, if `migrationId` of `generation` still holds it; DynamoDB's TTL
   * deletes the item at `expiresAt` (epoch seconds), with the finished migration's record, so a
   * realm keeps nothing of a tenant's migrations past their retention (nothing at all of a tenant
   * that left it). A later migration starts a new item; migration ids tell holders apart.
   */
  public async release(tenant: string, migrationId: string, generation: number, expiresAt?: number): Promise<void> {
    await conditional(() =>
      this.doc.update({
        TableName: this.tableName,
        Key: this.key(tenant),
        UpdateExpression: expiresAt === undefined ? 'SET #open = :false' : 'SET #open = :false, #ttl = :ttl',
        ConditionExpression: 'migrationId = :id AND generation = :g',
        ExpressionAttributeNames: { '#open': 'open', ...(expiresAt === undefined ? {} : { '#ttl': TABLE_LAYOUT.ttlAttribute }) },
        ExpressionAttributeValues: { ':false': false, ':id': migrationId, ':g': generation, ...(expiresAt === undefined ? {} : { ':ttl': expiresAt }) },
      }),
    );
  }

  private key(tenant: string): Record<string, string> {
    return { [PK]: tenantPartition(tenant), [SK]: OPEN_MIGRATION_SORT_KEY };
  }
}
