import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocument } from '@aws-sdk/lib-dynamodb';
import { TABLE_LAYOUT } from '../tenants/table-layout';
import { conditional } from '../tenants/conditional-write';

const PK = TABLE_LAYOUT.partitionKey;
const SK = TABLE_LAYOUT.sortKey;
const TTL = TABLE_LAYOUT.ttlAttribute;
const PARTITION = 'MIGRATION-SLOTS';

/**
 * The concurrency limit of one realm's outgoing migrations: `max` slot items in the
 * realm's table, each claimed with a conditional write, so two schedules racing for the
 * last slot cannot both win. A slot whose holder never finished frees itself at its
 * expiry (the end of the migration window plus a margin).
 */
export class MigrationSlots {
  private readonly doc: DynamoDBDocument;

  constructor(client: DynamoDBClient, private readonly tableName: string, private readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`The migration concurrency limit must be a whole number >= 1, got ${max}`);
    this.doc = DynamoDBDocument.from(client);
  }

  /** A slot for `holder` (the one it already holds, else a free or expired one), or undefined when all are taken. */
  public async acquire(holder: string, expiresAt: number, nowSeconds: number): Promise<number | undefined> {
    const out = await this.doc.query({
      TableName: this.tableName,
      ConsistentRead: true,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': PK },
      ExpressionAttributeValues: { ':pk': PARTITION },
    });
    const held = (out.Items ?? []).find((i) => i.holder === holder);
    if (held) return Number((held[SK] as string).slice('SLOT#'.length));
    for (let slot = 0; slot < this.max; slot++) {
      const claimed = await conditional(() =>
        this.doc.put({
          TableName: this.tableName,
          Item: { [PK]: PARTITION, [SK]: slotKey(slot), holder, [TTL]: expiresAt },
          ConditionExpression: 'attribute_not_exists(#pk) OR holder = :me OR #ttl <= :now',
          ExpressionAttributeNames: { '#pk': PK, '#ttl': TTL },
          ExpressionAttributeValues: { ':me': holder, ':now': nowSeconds },
        }),
      );
      if (claimed) return slot;
    }
    return undefined;
  }

  /** Frees `slot` if `holder` still holds it. */
  public async release(slot: number, holder: string): Promise<void> {
    await conditional(() =>
      this.doc.delete({
        TableName: this.tableName,
        Key: { [PK]: PARTITION, [SK]: slotKey(slot) },
        ConditionExpression: 'holder = :me',
        ExpressionAttributeValues: { ':me': holder },
      }),
    );
  }
}

function slotKey(slot: number): string {
  return `SLOT#${String(slot).padStart(4, '0')}`;
}
