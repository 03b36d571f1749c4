import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocument, NativeAttributeValue, paginateQuery, paginateScan } from '@aws-sdk/lib-dynamodb';
import { conditional } from './conditional-write';
import { TenantFrozenError } from './data-errors';
import { claimPartition, dataSortKey, SORT, tenantPartition } from './item-keys';
import { TABLE_LAYOUT } from './table-layout';
import { Tenant } from './tenant';

const PK = TABLE_LAYOUT.partitionKey;
const SK = TABLE_LAYOUT.sortKey;
const TTL = TABLE_LAYOUT.ttlAttribute;

/** A tenant's record item (sort key `RECORD`): the fields of `Tenant` as given, and these. */
export interface RecordItem extends Tenant {
  /** The installation this tenant claims (see `installationOf`). */
  readonly installation: string;
  /** `false` when the install claimed no site (a Forge installation, vouched for by Forge); absent means claimed. */
  readonly siteClaimed?: boolean;
  /** Generation of the data key the secret is sealed with. */
  readonly kid: string;
  /** The shared secret, sealed with the data key. */
  readonly secret: string;
  /** TTL (epoch seconds), while uninstalled: `RECORD_KEPT_DAYS` after the shred time, so the realm's sweep finds it. */
  readonly expiresAt?: number;
  /** When the shred of the uninstalled tenant finished (its key, objects and items gone, ISO 8601). */
  readonly shreddedAt?: string;
}

/** A tenant's wrapped data key item (sort key `KEY`): deleting it crypto-shreds the tenant. */
export interface KeyItem {
  /** The data key, wrapped by the key source for the tenant's encryption context. */
  readonly wrappedKey: Uint8Array;
  /** Random id of this key generation; sealed values bind it. */
  readonly kid: string;
  /** When the key was generated (ISO 8601). */
  readonly createdAt: string;
  /** TTL (epoch seconds), while the tenant is uninstalled. */
  readonly expiresAt?: number;
}

/** A tenant data item (sort key `DATA#<id>`). */
export interface DataItem {
  /** The item id within the tenant. */
  readonly id: string;
  /** The key generation the value is sealed with. */
  readonly kid: string;
  /** The JSON value, sealed with the data key. */
  readonly value: string;
  /** 1 on the first write, one more on each (items written before versions existed read as 1). */
  readonly version: number;
}

/** How `putData` and `deleteData` guard a write, for items of key generation `kid`. */
export type DataCondition = { readonly ifVersion: number } | { readonly ifAbsent: true } | undefined;

/** One page of data items (see `TenantTable.dataPage`). */
export interface DataItemPage {
  readonly items: DataItem[];
  /** The id of the last item DynamoDB read, when more may follow. */
  readonly lastId?: string;
}

/** What the realm's sweep reads of each tenant record: no secret, key or data. */
export interface RecordSummary {
  readonly clientKey: string;
  readonly state: 'installed' | 'disabled' | 'uninstalled';
  readonly shredAfter?: string;
  readonly shreddedAt?: string;
}

/** The attributes a record listing reads (the partition and sort key first): the sweep's IAM policy allows these only. */
export const RECORD_LISTING_ATTRIBUTES = [PK, SK, 'clientKey', 'state', 'shredAfter', 'shreddedAt'] as const;

/** Thin typed access to the tenant table's items; every conditional write says what it guards. */
export class TenantTable {
  private readonly doc: DynamoDBDocument;

  constructor(client: DynamoDBClient, private readonly tableName: string) {
    this.doc = DynamoDBDocument.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  /** The tenant's record, read consistently. */
  public async getRecord(clientKey: string): Promise<RecordItem | undefined> {
    return (await this.getItem(tenantPartition(clientKey), SORT.record)) as RecordItem | undefined;
  }

  /** The tenant's wrapped key item, read consistently. */
  public async getKey(clientKey: string): Promise<KeyItem | undefined> {
    return (await this.getItem(tenantPartition(clientKey), SORT.key)) as KeyItem | undefined;
  }

  /** Writes the record whole (clearing any TTL); not sent once `signal` aborted. */
  public async putRecord(record: RecordItem, signal?: AbortSignal): Promise<void> {
    const { expiresAt: _dropped, ...rest } = record;
    // A re-install while a migration froze the tenant is refused (Atlassian retries it): it must not unfreeze it.
    const written = await conditional(() =>
      this.doc.put(
        { TableName: this.tableName, Item: { [PK]: tenantPartition(record.clientKey), [SK]: SORT.record, ...rest }, ConditionExpression: 'attribute_not_exists(frozenBy)' },
        { abortSignal: signal },
      ),
    );
    if (!written) throw new TenantFrozenError(record.clientKey);
  }

  /** Marks an installed or disabled tenant uninstalled; false when it is not. */
  public async markUninstalled(clientKey: string, uninstalledAt: string, shredAfter: string, recordExpiresAt: number): Promise<boolean> {
    return this.unlessFrozen(clientKey, () =>
      this.doc.update({
        TableName: this.tableName,
        Key: this.tenantKey(clientKey, SORT.record),
        UpdateExpression: 'SET #state = :uninstalled, uninstalledAt = :at, shredAfter = :after, #ttl = :ttl',
        ConditionExpression: 'attribute_exists(#pk) AND #state <> :uninstalled AND attribute_not_exists(frozenBy)',
        ExpressionAttributeNames: { '#pk': PK, '#state': 'state', '#ttl': TTL },
        ExpressionAttributeValues: { ':uninstalled': 'uninstalled', ':at': uninstalledAt, ':after': shredAfter, ':ttl': recordExpiresAt },
      }),
    );
  }

  /** Records on an uninstalled tenant's record that its shred is done (key, objects and items gone); false when it is not uninstalled. */
  public async markShredded(clientKey: string, shreddedAt: string): Promise<boolean> {
    return conditional(() =>
      this.doc.update({
        TableName: this.tableName,
        Key: this.tenantKey(clientKey, SORT.record),
        UpdateExpression: 'SET shreddedAt = :at',
        ConditionExpression: '#state = :uninstalled',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':uninstalled': 'uninstalled', ':at': shreddedAt },
      }),
    );
  }

  /** Sets the state of an installed or disabled tenant; false when it is neither. */
  public async setState(clientKey: string, state: 'installed' | 'disabled'): Promise<boolean> {
    return this.unlessFrozen(clientKey, () =>
      this.doc.update({
        TableName: this.tableName,
        Key: this.tenantKey(clientKey, SORT.record),
        UpdateExpression: 'SET #state = :state',
        ConditionExpression: 'attribute_exists(#pk) AND #state IN (:installed, :disabled) AND attribute_not_exists(frozenBy)',
        ExpressionAttributeNames: { '#pk': PK, '#state': 'state' },
        ExpressionAttributeValues: { ':state': state, ':installed': 'installed', ':disabled': 'disabled' },
      }),
    );
  }

  /**
   * Writes a new wrapped key where there is none (`replacingKid` undefined) or in place of
   * the generation `replacingKid`; false when another write got there first.
   */
  public async putKey(clientKey: string, key: KeyItem, replacingKid: string | undefined): Promise<boolean> {
    return conditional(() =>
      this.doc.put({
        TableName: this.tableName,
        Item: { ...this.tenantKey(clientKey, SORT.key), ...key },
        ...(replacingKid === undefined
          ? { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': PK } }
          : { ConditionExpression: 'kid = :kid', ExpressionAttributeValues: { ':kid': replacingKid } }),
      }),
    );
  }

  /** Sets (a number) or removes (undefined) the TTL of key generation `kid`; false when that key is gone. */
  public async setKeyExpiry(clientKey: string, kid: string, expiresAt: number | undefined): Promise<boolean> {
    return conditional(() =>
      this.doc.update({
        TableName: this.tableName,
        Key: this.tenantKey(clientKey, SORT.key),
        ...expiryUpdate(expiresAt),
        ConditionExpression: 'kid = :kid',
        ExpressionAttributeNames: { '#ttl': TTL },
        ExpressionAttributeValues: { ':kid': kid, ...(expiresAt === undefined ? {} : { ':ttl': expiresAt }) },
      }),
    );
  }

  /** Deletes the tenant's wrapped key: the crypto-shred. */
  public async deleteKey(clientKey: string): Promise<void> {
    await this.doc.delete({ TableName: this.tableName, Key: this.tenantKey(clientKey, SORT.key) });
  }

  /**
   * Claims `installation` for `clientKey` (clearing any TTL on the claim): false when
   * another clientKey holds it and its claim has not expired. Not sent once `signal` aborted.
   */
  public async claim(installation: string, clientKey: string, claimedAt: string, nowSeconds: number, signal?: AbortSignal): Promise<boolean> {
    return conditional(() =>
      this.doc.put(
        {
          TableName: this.tableName,
          Item: { [PK]: claimPartition(installation), [SK]: SORT.claim, clientKey, claimedAt },
          ConditionExpression: 'attribute_not_exists(#pk) OR clientKey = :me OR (attribute_exists(#ttl) AND #ttl <= :now)',
          ExpressionAttributeNames: { '#pk': PK, '#ttl': TTL },
          ExpressionAttributeValues: { ':me': clientKey, ':now': nowSeconds },
        },
        { abortSignal: signal },
      ),
    );
  }

  /** Sets the TTL of `clientKey`'s claim on `installation`, if it holds one. */
  public async setClaimExpiry(installation: string, clientKey: string, expiresAt: number): Promise<void> {
    await conditional(() =>
      this.doc.update({
        TableName: this.tableName,
        Key: { [PK]: claimPartition(installation), [SK]: SORT.claim },
        UpdateExpression: 'SET #ttl = :ttl',
        ConditionExpression: 'clientKey = :me',
        ExpressionAttributeNames: { '#ttl': TTL },
        ExpressionAttributeValues: { ':me': clientKey, ':ttl': expiresAt },
      }),
    );
  }

  /** Who holds `installation` (and until when, once its holder uninstalled), read consistently. */
  public async getClaim(installation: string): Promise<{ clientKey: string; expiresAt?: number } | undefined> {
    const item = await this.getItem(claimPartition(installation), SORT.claim);
    return item && { clientKey: item.clientKey as string, ...(typeof item[TTL] === 'number' ? { expiresAt: item[TTL] as number } : {}) };
  }

  /** Releases `clientKey`'s claim on `installation`, if it holds one. */
  public async releaseClaim(installation: string, clientKey: string): Promise<void> {
    await conditional(() =>
      this.doc.delete({
        TableName: this.tableName,
        Key: { [PK]: claimPartition(installation), [SK]: SORT.claim },
        ConditionExpression: 'clientKey = :me',
        ExpressionAttributeValues: { ':me': clientKey },
      }),
    );
  }

  /** One data item of the tenant, read consistently. */
  public async getData(clientKey: string, id: string): Promise<DataItem | undefined> {
    const item = await this.getItem(tenantPartition(clientKey), dataSortKey(id));
    return item && { id, kid: item.kid as string, value: item.value as string, version: versionOf(item) };
  }

  /**
   * Writes one data item of the tenant sealed under generation `kid`, bumping its version;
   * returns the new version, or undefined when `condition` did not hold. Items of another
   * (shredded) generation count as absent.
   */
  public async putData(clientKey: string, item: Omit<DataItem, 'version'>, updatedAt: string, condition: DataCondition): Promise<number | undefined> {
    await this.admitWrite(clientKey);
    const guard = dataCondition(condition, item.kid);
    let version: number | undefined;
    const written = await conditional(async () => {
      const out = await this.doc.update({
        TableName: this.tableName,
        Key: this.tenantKey(clientKey, dataSortKey(item.id)),
        UpdateExpression: 'SET kid = :kid, #value = :value, updatedAt = :at, #version = if_not_exists(#version, :zero) + :one',
        ...(guard.expression ? { ConditionExpression: guard.expression } : {}),
        ExpressionAttributeNames: { '#value': 'value', '#version': 'version', ...guard.names },
        ExpressionAttributeValues: { ':value': item.value, ':at': updatedAt, ':zero': 0, ':one': 1, ...guard.values, ':kid': item.kid },
        ReturnValues: 'UPDATED_NEW',
      });
      version = out.Attributes?.version as number | undefined;
    });
    return written ? version : undefined;
  }

  /** Deletes one data item of the tenant, if any; false when `condition` (on generation `kid`) did not hold. */
  public async deleteData(clientKey: string, id: string, condition?: { ifVersion: number; kid: string }): Promise<boolean> {
    await this.admitWrite(clientKey);
    const guard = condition && dataCondition({ ifVersion: condition.ifVersion }, condition.kid);
    return conditional(() =>
      this.doc.delete({
        TableName: this.tableName,
        Key: this.tenantKey(clientKey, dataSortKey(id)),
        ...(guard ? { ConditionExpression: guard.expression, ExpressionAttributeNames: guard.names, ExpressionAttributeValues: guard.values } : {}),
      }),
    );
  }

  /** Up to `limit` data items whose ids start with `prefix`, after id `afterId`, read consistently. */
  public async dataPage(clientKey: string, prefix: string, afterId: string | undefined, limit: number): Promise<DataItemPage> {
    const pk = tenantPartition(clientKey);
    const out = await this.doc.query({
      TableName: this.tableName,
      ConsistentRead: true,
      Limit: limit,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
      ExpressionAttributeValues: { ':pk': pk, ':prefix': dataSortKey(prefix) },
      // The partition is always this tenant's: a cursor only ever supplies the id.
      ...(afterId === undefined ? {} : { ExclusiveStartKey: { [PK]: pk, [SK]: dataSortKey(afterId) } }),
    });
    const items = (out.Items ?? []).map(toDataItem);
    const last = out.LastEvaluatedKey?.[SK] as string | undefined;
    return last === undefined ? { items } : { items, lastId: last.slice(SORT.dataPrefix.length) };
  }

  /** Deletes the data item unless it was written under key generation `kid`. */
  public async deleteDataUnlessKid(clientKey: string, id: string, kid: string): Promise<void> {
    await conditional(() =>
      this.doc.delete({
        TableName: this.tableName,
        Key: this.tenantKey(clientKey, dataSortKey(id)),
        ConditionExpression: 'kid <> :kid',
        ExpressionAttributeValues: { ':kid': kid },
      }),
    );
  }

  /** Every data item of the tenant, page by page. */
  public async *queryData(clientKey: string): AsyncGenerator<DataItem> {
    const pages = paginateQuery(
      { client: this.doc },
      {
        TableName: this.tableName,
        ConsistentRead: true,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
        ExpressionAttributeValues: { ':pk': tenantPartition(clientKey), ':prefix': SORT.dataPrefix },
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) yield toDataItem(item);
    }
  }

  /**
   * Every tenant record of the table, as the realm's sweep reads it: a Scan that returns only the
   * attributes of {@link RECORD_LISTING_ATTRIBUTES} (the sweep's role may read no other), page by page.
   */
  public async *scanRecords(): AsyncGenerator<RecordSummary> {
    const pages = paginateScan(
      { client: this.doc },
      {
        TableName: this.tableName,
        Select: 'SPECIFIC_ATTRIBUTES',
        ProjectionExpression: RECORD_LISTING_ATTRIBUTES.map((_, i) => `#a${i}`).join(', '),
        FilterExpression: '#a1 = :record',
        ExpressionAttributeNames: Object.fromEntries(RECORD_LISTING_ATTRIBUTES.map((a, i) => [`#a${i}`, a])),
        ExpressionAttributeValues: { ':record': SORT.record },
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        if (typeof item.clientKey !== 'string' || typeof item.state !== 'string') continue;
        yield {
          clientKey: item.clientKey,
          state: item.state as RecordSummary['state'],
          ...(typeof item.shredAfter === 'string' ? { shredAfter: item.shredAfter } : {}),
          ...(typeof item.shreddedAt === 'string' ? { shreddedAt: item.shreddedAt } : {}),
        };
      }
    }
  }

  /** A lifecycle write on the record: false when its own condition failed, `TenantFrozenError` when a migration froze the tenant. */
  private async unlessFrozen(clientKey: string, write: () => Promise<unknown>): Promise<boolean> {
    if (await conditional(write)) return true;
    if ((await this.getItem(tenantPartition(clientKey), SORT.record))?.frozenBy !== undefined) throw new TenantFrozenError(clientKey);
    return false;
  }

  /**
   * Counts a write of the tenant's data on its record (`writeVersion`), refused with
   * `TenantFrozenError` while a migration freezes the tenant (`frozenBy`) or once its record
   * left this realm. A conditional write on the record itself, so no cache of a warm
   * instance can let a write through; a migration proves nothing changed by this count.
   */
  public async admitWrite(clientKey: string): Promise<void> {
    const admitted = await conditional(() =>
      this.doc.update({
        TableName: this.tableName,
        Key: this.tenantKey(clientKey, SORT.record),
        UpdateExpression: 'ADD writeVersion :one',
        ConditionExpression: 'attribute_exists(#pk) AND attribute_not_exists(frozenBy)',
        ExpressionAttributeNames: { '#pk': PK },
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
    if (!admitted) throw new TenantFrozenError(clientKey);
  }

  /**
   * Records that a presigned upload of the tenant's objects may land until `untilMs` (epoch
   * ms), unless a later time is recorded already: a migration waits it out before copying objects.
   */
  public async noteUploads(clientKey: string, untilMs: number): Promise<void> {
    await conditional(() =>
      this.doc.update({
        TableName: this.tableName,
        Key: this.tenantKey(clientKey, SORT.record),
        UpdateExpression: 'SET uploadsUntil = :t',
        ConditionExpression: 'attribute_exists(#pk) AND (attribute_not_exists(uploadsUntil) OR uploadsUntil < :t)',
        ExpressionAttributeNames: { '#pk': PK },
        ExpressionAttributeValues: { ':t': untilMs },
      }),
    );
  }

  /**
   * Freezes the tenant for `migrationId`: its `writeVersion` then (0 when none) and until when
   * presigned uploads may still land, or undefined when there is no record or another migration froze it.
   */
  public async freeze(clientKey: string, migrationId: string): Promise<{ writes: number; uploadsUntil?: number } | undefined> {
    try {
      const out = await this.doc.update({
        TableName: this.tableName,
        Key: this.tenantKey(clientKey, SORT.record),
        UpdateExpression: 'SET frozenBy = :id',
        ConditionExpression: 'attribute_exists(#pk) AND (attribute_not_exists(frozenBy) OR frozenBy = :id)',
        ExpressionAttributeNames: { '#pk': PK },
        ExpressionAttributeValues: { ':id': migrationId },
        ReturnValues: 'ALL_NEW',
      });
      const writes = typeof out.Attributes?.writeVersion === 'number' ? out.Attributes.writeVersion : 0;
      return typeof out.Attributes?.uploadsUntil === 'number' ? { writes, uploadsUntil: out.Attributes.uploadsUntil } : { writes };
    } catch (err) {
      if ((err as { name?: string }).name === 'ConditionalCheckFailedException') return undefined;
      throw err;
    }
  }

  /** Lets the tenant write again, if `migrationId` froze it. */
  public async unfreeze(clientKey: string, migrationId: string): Promise<void> {
    await conditional(() =>
      this.doc.update({
        TableName: this.tableName,
        Key: this.tenantKey(clientKey, SORT.record),
        UpdateExpression: 'REMOVE frozenBy',
        ConditionExpression: 'frozenBy = :id',
        ExpressionAttributeValues: { ':id': migrationId },
      }),
    );
  }

  private tenantKey(clientKey: string, sortKey: string): Record<string, string> {
    return { [PK]: tenantPartition(clientKey), [SK]: sortKey };
  }

  private async getItem(pk: string, sk: string): Promise<Record<string, NativeAttributeValue> | undefined> {
    // Consistent reads: the next lifecycle event or request may land on another function right after a write.
    const out = await this.doc.get({ TableName: this.tableName, Key: { [PK]: pk, [SK]: sk }, ConsistentRead: true });
    if (!out.Item) return undefined;
    const { [PK]: _pk, [SK]: _sk, ...rest } = out.Item;
    return rest;
  }
}

function toDataItem(item: Record<string, NativeAttributeValue>): DataItem {
  return { id: (item[SK] as string).slice(SORT.dataPrefix.length), kid: item.kid as string, value: item.value as string, version: versionOf(item) };
}

function versionOf(item: Record<string, NativeAttributeValue>): number {
  return typeof item.version === 'number' ? item.version : 1;
}

// The condition of a data write on items sealed under generation `kid`: another generation reads as absent.
function dataCondition(condition: DataCondition, kid: string): { expression?: string; names: Record<string, string>; values: Record<string, string | number> } {
  if (condition === undefined) return { names: {}, values: {} };
  if ('ifAbsent' in condition) return { expression: 'attribute_not_exists(#pk) OR kid <> :kid', names: { '#pk': PK }, values: { ':kid': kid } };
  // Items from before versions existed have none and read as version 1.
  const unversioned = condition.ifVersion === 1 ? ' OR (kid = :kid AND attribute_not_exists(#version))' : '';
  return {
    expression: `(kid = :kid AND #version = :expected)${unversioned}`,
    names: { '#version': 'version' },
    values: { ':kid': kid, ':expected': condition.ifVersion },
  };
}

function expiryUpdate(expiresAt: number | undefined): { UpdateExpression: string } {
  return { UpdateExpression: expiresAt === undefined ? 'REMOVE #ttl' : 'SET #ttl = :ttl' };
}
