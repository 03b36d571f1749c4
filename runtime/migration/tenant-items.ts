import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocument } from '@aws-sdk/lib-dynamodb';
import { dataSortKey, SORT, tenantPartition } from '../tenants/item-keys';
import { TABLE_LAYOUT } from '../tenants/table-layout';
import { KeyItem, RecordItem, TenantTable } from '../tenants/tenant-table';
import { conditional } from '../tenants/conditional-write';
import { compareUtf8 } from './key-order';

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
  public putNewKey(tenant: string, key: MigratedKeyItem): Promise<boolean> {
    return conditional(() =>
      this.doc.put({
        TableName: this.tableName,
        Item: { [PK]: tenantPartition(tenant), [SK]: SORT.key, ...key },
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': PK },
      }),
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

  /** Every data item whose sort key is after `after` and at most `upTo` (all of them after `after` when `upTo` is undefined). */
  public async dataRange(tenant: string, after: string | undefined, upTo: string | undefined): Promise<StoredDataItem[]> {
    const items: StoredDataItem[] = [];
    let cursor = after;
    for (;;) {
      const page = await this.dataPage(tenant, cursor, 500);
      for (const item of page.items) {
        if (upTo !== undefined && compareUtf8(item.sortKey, upTo) > 0) return items;
        items.push(item);
      }
      if (page.done) return items;
      cursor = page.last;
    }
  }

  /** Writes a data item unless the table holds that id under another key generation; false when it does. */
  public putData(tenant: string, item: Omit<StoredDataItem, 'sortKey'>): Promise<boolean> {
    return conditional(() =>
      this.doc.put({
        TableName: this.tableName,
        Item: { [PK]: tenantPartition(tenant), [SK]: dataSortKey(item.id), kid: item.kid, value: item.value, updatedAt: item.updatedAt, version: item.version },
        ConditionExpression: 'attribute_not_exists(#pk) OR kid = :kid',
        ExpressionAttributeNames: { '#pk': PK },
        ExpressionAttributeValues: { ':kid': item.kid },
      }),
    );
  }

  /** Deletes a data item by sort key; with `kid`, only one sealed under that key generation. */
  public deleteData(tenant: string, sortKey: string, kid?: string): Promise<boolean> {
    return this.deleteItem(tenant, sortKey, kid === undefined ? undefined : ['kid = :v', kid]);
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
