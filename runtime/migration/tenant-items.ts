import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocument } from '@aws-sdk/lib-dynamodb';
import { dataSortKey, SORT, tenantPartition } from '../tenants/item-keys';
import { TABLE_LAYOUT } from '../tenants/table-layout';
import { KeyItem, RecordItem, TenantTable } from '../tenants/tenant-table';
import { conditional } from '../tenants/conditional-write';
import { compareUtf8 } from './key-order';
import { inPool } from './pool';

/** Items per BatchWriteItem request (DynamoDB's limit). */
export const WRITE_BATCH = 25;
const MAX_BATCH_ATTEMPTS = 8;
type BatchRequest = { PutRequest?: { Item: Record<string, unknown> }; DeleteRequest?: { Key: Record<string, unknown> } };

const PK = TABLE_LAYOUT.partitionKey;
const SK = TABLE_LAYOUT.sortKey;

/** A wrapped data key item, with the migration that wrote it when a migration did. */
export interface MigratedKeyItem extends KeyItem {
  /** The migration that created this key in its realm (absent on keys made by an install). */
  readonly migrationId?: string;
}

/** A data item as stored: sealed value, key generation and write time. */
export interface StoredDataItem {
  /** The item id within the tenant. */
  readonly id: string;
  /** The item's sort key (`DATA#<id>`). */
  readonly sortKey: string;
  /** The key generation the value is sealed with. */
  readonly kid: string;
  /** The sealed value. */
  readonly value: string;
  /** When the tenant store last wrote the item (ISO 8601). */
  readonly updatedAt?: string;
  /** The item's version (see `TenantData.put`), kept by a copy so `ifVersion` writes still hold. */
  readonly version?: number;
}

/** One page of a tenant's data items in sort key order. */
export interface DataPage {
  /** The items of the page. */
  readonly items: readonly StoredDataItem[];
  /** The sort key of the last item read (the next page starts after it). */
  readonly last?: string;
  /** Whether no items follow this page. */
  readonly done: boolean;
}

/**
 * One tenant's items in one realm's tenant table, as the migration copies, verifies and
 * deletes them: the tenant store's own accessors (`TenantTable`) plus paged reads and
 * the conditional writes that keep a copy from overwriting data it did not create.
 */
export class TenantItems {
  /** The tenant store's typed accessors on the same table. */
  public readonly table: TenantTable;
  private readonly doc: DynamoDBDocument;

  constructor(client: DynamoDBClient, private readonly tableName: string) {
    this.table = new TenantTable(client, tableName);
    this.doc = DynamoDBDocument.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  /** The tenant's record. */
  public getRecord(tenant: string): Promise<RecordItem | undefined> {
    return this.table.getRecord(tenant);
  }

  /** The tenant's wrapped key item. */
  public async getKey(tenant: string): Promise<MigratedKeyItem | undefined> {
    return (await this.table.getKey(tenant)) as MigratedKeyItem | undefined;
  }

  /** Writes the tenant's key item where there is none; false when one exists. */
  public putNewKey(tenant: string, key: MigratedKeyItem, signal?: AbortSignal): Promise<boolean> {
    return conditional(() =>
      this.doc.put(
        {
          TableName: this.tableName,
          Item: { [PK]: tenantPartition(tenant), [SK]: SORT.key, ...key },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK },
        },
        { abortSignal: signal },
      ),
    );
  }

  /** Deletes the tenant's key item; with `migrationId`, only the one that migration wrote. */
  public deleteKey(tenant: string, migrationId?: string): Promise<boolean> {
    return this.deleteItem(tenant, SORT.key, migrationId === undefined ? undefined : ['migrationId = :v', migrationId]);
  }

  /** Deletes the tenant's record; with `kid`, only a record sealed under that key generation. */
  public deleteRecord(tenant: string, kid?: string): Promise<boolean> {
    return this.deleteItem(tenant, SORT.record, kid === undefined ? undefined : ['kid = :v', kid]);
  }

  /** Up to `limit` data items after sort key `after`, read consistently. */
  public async dataPage(tenant: string, after: string | undefined, limit: number): Promise<DataPage> {
    const out = await this.doc.query({
      TableName: this.tableName,
      ConsistentRead: true,
      Limit: limit,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
      ExpressionAttributeValues: { ':pk': tenantPartition(tenant), ':prefix': SORT.dataPrefix },
      ...(after === undefined ? {} : { ExclusiveStartKey: { [PK]: tenantPartition(tenant), [SK]: after } }),
    });
    const items = (out.Items ?? []).map(toDataItem);
    return { items, last: items.at(-1)?.sortKey ?? after, done: out.LastEvaluatedKey === undefined };
  }

  /** Every data item whose sort key is after `after` and at most `upTo` (all of them after `after` when `upTo` is undefined), read `pageSize` at a time. */
  public async dataRange(tenant: string, after: string | undefined, upTo: string | undefined, pageSize = 1000): Promise<StoredDataItem[]> {
    const items: StoredDataItem[] = [];
    let cursor = after;
    for (;;) {
      const page = await this.dataPage(tenant, cursor, pageSize);
      for (const item of page.items) {
        if (upTo !== undefined && compareUtf8(item.sortKey, upTo) > 0) return items;
        items.push(item);
      }
      if (page.done) return items;
      cursor = page.last;
    }
  }

  /**
   * Writes data items with BatchWriteItem, {@link WRITE_BATCH} to a request, `inFlight`
   * requests at a time, resending what DynamoDB left unprocessed (with backoff) until all
   * are written. `beforeRequest` runs before every request, resends included (the copy's
   * time fence), and the signal it answers goes with that request (an aborted one is not
   * sent). Unconditional, as BatchWriteItem is: the copy writes only into a realm
   * where it created the tenant's data key itself (see the copy's `key` step).
   */
  public async putDataBatch(tenant: string, items: readonly Omit<StoredDataItem, 'sortKey'>[], inFlight: number, beforeRequest: () => AbortSignal | undefined = () => undefined): Promise<void> {
    const requests = items.map((item) => ({
      PutRequest: {
        Item: { [PK]: tenantPartition(tenant), [SK]: dataSortKey(item.id), kid: item.kid, value: item.value, updatedAt: item.updatedAt, version: item.version },
      },
    }));
    await this.batchWrite(requests, inFlight, beforeRequest);
  }

  /** Deletes data items by sort key with BatchWriteItem, as {@link putDataBatch} writes them. */
  public async deleteDataBatch(tenant: string, sortKeys: readonly string[], inFlight: number): Promise<void> {
    await this.batchWrite(sortKeys.map((sk) => ({ DeleteRequest: { Key: { [PK]: tenantPartition(tenant), [SK]: sk } } })), inFlight, () => undefined);
  }

  private async batchWrite(requests: readonly BatchRequest[], inFlight: number, beforeRequest: () => AbortSignal | undefined): Promise<void> {
    const chunks: BatchRequest[][] = [];
    for (let i = 0; i < requests.length; i += WRITE_BATCH) chunks.push(requests.slice(i, i + WRITE_BATCH));
    await inPool(chunks, inFlight, async (chunk) => {
      let pending = chunk;
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt === MAX_BATCH_ATTEMPTS) throw new Error(`DynamoDB left ${pending.length} writes to table ${this.tableName} unprocessed after ${attempt} attempts`);
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(50 * 2 ** attempt, 2000) * (0.5 + Math.random() / 2)));
        const out = await this.doc.batchWrite({ RequestItems: { [this.tableName]: pending } }, { abortSignal: beforeRequest() });
        pending = (out.UnprocessedItems?.[this.tableName] ?? []) as BatchRequest[];
      }
    });
  }

  private deleteItem(tenant: string, sortKey: string, condition: [string, string] | undefined): Promise<boolean> {
    return conditional(() =>
      this.doc.delete({
        TableName: this.tableName,
        Key: { [PK]: tenantPartition(tenant), [SK]: sortKey },
        ...(condition ? { ConditionExpression: condition[0], ExpressionAttributeValues: { ':v': condition[1] } } : {}),
      }),
    );
  }
}

function toDataItem(item: Record<string, unknown>): StoredDataItem {
  const sortKey = item[SK] as string;
  return {
    id: sortKey.slice(SORT.dataPrefix.length),
    sortKey,
    kid: item.kid as string,
    value: item.value as string,
    ...(typeof item.updatedAt === 'string' ? { updatedAt: item.updatedAt } : {}),
    ...(typeof item.version === 'number' ? { version: item.version } : {}),
  };
}
