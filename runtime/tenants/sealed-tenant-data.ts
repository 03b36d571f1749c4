import { open, seal, SealedValueError } from '../crypto';
import { ConflictError, InvalidCursorError, ItemTooLargeError } from './data-errors';
import { checkId, dataAad } from './item-keys';
import { TenantKeyUnavailableError } from './tenant';
import { TenantKey, TenantKeyring } from './tenant-keyring';
import { ItemPage, ListOptions, TenantData, TenantItem, WriteConditions } from './tenant-store';
import { DataCondition, DataItem, TenantTable } from './tenant-table';

/**
 * Largest JSON value of one item, in UTF-8 bytes. Sealing adds a third (base64url) and the
 * key, id and version attributes add at most about 1 KB: the item stays under DynamoDB's 400 KB.
 */
export const MAX_ITEM_VALUE_BYTES = 256 * 1024;

/** Largest page `list` reads. */
export const MAX_LIST_LIMIT = 1000;

/**
 * One tenant's items in the tenant table, each value sealed with the tenant's data key
 * and bound to the tenant, the key generation and the item id. Items left from an earlier,
 * shredded key generation read as absent.
 */
export class SealedTenantData implements TenantData {
  constructor(
    private readonly clientKey: string,
    private readonly table: TenantTable,
    private readonly keyring: TenantKeyring,
    private readonly now: () => number,
  ) {}

  public async get<T = unknown>(id: string): Promise<TenantItem<T> | undefined> {
    checkId('data item id', id);
    const [key, item] = await Promise.all([this.key(), this.table.getData(this.clientKey, id)]);
    if (!item || item.kid !== key.kid) return undefined;
    return this.openItem<T>(key, item);
  }

  public async put(id: string, value: unknown, conditions: WriteConditions = {}): Promise<number> {
    checkId('data item id', id);
    const condition = conditionOf(id, conditions);
    const json = JSON.stringify(value);
    if (json === undefined) throw new TypeError(`The value of data item "${id}" is not JSON-serializable`);
    const bytes = Buffer.byteLength(json, 'utf8');
    if (bytes > MAX_ITEM_VALUE_BYTES) throw new ItemTooLargeError(id, bytes, MAX_ITEM_VALUE_BYTES);
    const key = await this.key();
    const sealed = seal(json, key.plaintext, dataAad(this.clientKey, key.kid, id));
    const version = await this.table.putData(this.clientKey, { id, kid: key.kid, value: sealed }, new Date(this.now()).toISOString(), condition);
    if (version === undefined) throw new ConflictError(id, describe(condition));
    return version;
  }

  public async delete(id: string, conditions: Pick<WriteConditions, 'ifVersion'> = {}): Promise<void> {
    checkId('data item id', id);
    const condition = conditionOf(id, conditions);
    if (condition === undefined) {
      await this.table.deleteData(this.clientKey, id);
      return;
    }
    const key = await this.key();
    if (!(await this.table.deleteData(this.clientKey, id, { ifVersion: (condition as { ifVersion: number }).ifVersion, kid: key.kid }))) {
      throw new ConflictError(id, describe(condition));
    }
  }

  public async list<T = unknown>(prefix = '', options: ListOptions = {}): Promise<ItemPage<T>> {
    if (prefix !== '') checkId('data item id', prefix);
    const limit = options.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) throw new RangeError(`list limit must be an integer from 1 to ${MAX_LIST_LIMIT}, got ${limit}`);
    const after = options.cursor === undefined ? undefined : cursorId(options.cursor, prefix);
    const key = await this.key();
    const page = await this.table.dataPage(this.clientKey, prefix, after, limit);
    const items = page.items.filter((i) => i.kid === key.kid).map((i) => this.openItem<T>(key, i));
    return page.lastId === undefined ? { items } : { items, cursor: Buffer.from(page.lastId, 'utf8').toString('base64url') };
  }

  private async key(): Promise<TenantKey> {
    const key = await this.keyring.current(this.clientKey);
    if (!key) throw new TenantKeyUnavailableError(this.clientKey);
    return key;
  }

  private openItem<T>(key: TenantKey, item: DataItem): TenantItem<T> {
    let plaintext: Uint8Array;
    try {
      plaintext = open(item.value, key.plaintext, dataAad(this.clientKey, key.kid, item.id));
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new SealedValueError(`Data item "${item.id}" of tenant "${this.clientKey}" did not open (${reason})`);
    }
    return { id: item.id, value: JSON.parse(Buffer.from(plaintext).toString('utf8')) as T, version: item.version };
  }
}

function conditionOf(id: string, c: WriteConditions): DataCondition {
  if (c.ifAbsent !== undefined && c.ifAbsent !== true) throw new TypeError(`ifAbsent of data item "${id}" must be true when given`);
  if (c.ifVersion !== undefined && (!Number.isInteger(c.ifVersion) || c.ifVersion < 1)) {
    throw new TypeError(`ifVersion of data item "${id}" must be a version from get (an integer >= 1), got ${String(c.ifVersion)}`);
  }
  if (c.ifAbsent && c.ifVersion !== undefined) throw new TypeError(`data item "${id}": give ifAbsent or ifVersion, not both`);
  if (c.ifAbsent) return { ifAbsent: true };
  return c.ifVersion === undefined ? undefined : { ifVersion: c.ifVersion };
}

function describe(condition: DataCondition): string {
  return condition !== undefined && 'ifVersion' in condition ? `version ${condition.ifVersion}` : 'no item';
}

// The cursor is the last id read: it only ever moves within this tenant's partition, and must stay under the prefix.
function cursorId(cursor: string, prefix: string): string {
  const id = typeof cursor === 'string' && /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (!id.startsWith(prefix)) throw new InvalidCursorError(`not under prefix ${JSON.stringify(prefix)}`);
  try {
    return checkId('data item id', id);
  } catch {
    throw new InvalidCursorError('malformed');
  }
}
