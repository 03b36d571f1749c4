import { open, seal, SealedValueError } from '../crypto';
import { checkId, dataAad } from './item-keys';
import { TenantKeyUnavailableError } from './tenant';
import { TenantKey, TenantKeyring } from './tenant-keyring';
import { TenantData } from './tenant-store';
import { TenantTable } from './tenant-table';

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

  public async get<T = unknown>(id: string): Promise<T | undefined> {
    checkId('data item id', id);
    const [key, item] = await Promise.all([this.key(), this.table.getData(this.clientKey, id)]);
    if (!item || item.kid !== key.kid) return undefined;
    return this.openValue(key, id, item.value) as T;
  }

  public async put(id: string, value: unknown): Promise<void> {
    checkId('data item id', id);
    const json = JSON.stringify(value);
    if (json === undefined) throw new TypeError(`The value of data item "${id}" is not JSON-serializable`);
    const key = await this.key();
    const sealed = seal(json, key.plaintext, dataAad(this.clientKey, key.kid, id));
    await this.table.putData(this.clientKey, { id, kid: key.kid, value: sealed }, new Date(this.now()).toISOString());
  }

  public async delete(id: string): Promise<void> {
    checkId('data item id', id);
    await this.table.deleteData(this.clientKey, id);
  }

  public async list(): Promise<{ id: string; value: unknown }[]> {
    const key = await this.key();
    const items: { id: string; value: unknown }[] = [];
    for await (const item of this.table.queryData(this.clientKey)) {
      if (item.kid === key.kid) items.push({ id: item.id, value: this.openValue(key, item.id, item.value) });
    }
    return items;
  }

  private async key(): Promise<TenantKey> {
    const key = await this.keyring.current(this.clientKey);
    if (!key) throw new TenantKeyUnavailableError(this.clientKey);
    return key;
  }

  private openValue(key: TenantKey, id: string, sealed: string): unknown {
    let plaintext: Uint8Array;
    try {
      plaintext = open(sealed, key.plaintext, dataAad(this.clientKey, key.kid, id));
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new SealedValueError(`Data item "${id}" of tenant "${this.clientKey}" did not open (${reason})`);
    }
    return JSON.parse(Buffer.from(plaintext).toString('utf8'));
  }
}
