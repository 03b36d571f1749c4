import { allItems } from '../../helpers/all-items';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { SealedValueError } from '../../../runtime/crypto';
import { DynamoTenantStore } from '../../../runtime/tenants';
import { APP, payload, REALM, StoreFixture } from './store-fixture';

describe('DynamoTenantStore tenant isolation', () => {
  let fx: StoreFixture;
  let store: DynamoTenantStore;
  beforeAll(async () => {
    fx = await StoreFixture.start();
    store = fx.store();
    await store.install(payload('a'));
    await store.install(payload('b'));
  });
  afterAll(() => fx.close());

  const a = () => store.dataFor('client-a');
  const b = () => store.dataFor('client-b');

  const rawItem = async (clientKey: string, id: string) =>
    (await fx.table.client.send(new GetItemCommand({ TableName: fx.table.tableName, Key: { pk: { S: `TENANT#${clientKey}` }, sk: { S: `DATA#${id}` } }, ConsistentRead: true }))).Item!;
  const rawPut = (item: Record<string, unknown>) => fx.table.client.send(new PutItemCommand({ TableName: fx.table.tableName, Item: item as never }));

  it('gives two tenants that write the same item id each their own value', async () => {
    await a().put('profile', { owner: 'A' });
    await b().put('profile', { owner: 'B' });
    expect((await a().get('profile'))?.value).toEqual({ owner: 'A' });
    expect((await b().get('profile'))?.value).toEqual({ owner: 'B' });
  });

  it('lists only the tenant’s own items', async () => {
    await a().put('only-a', [1, 2, 3]);
    await b().put('only-b', 'b');
    expect((await allItems(a())).sort((x, y) => x.id.localeCompare(y.id))).toEqual([
      { id: 'only-a', value: [1, 2, 3], version: 1 },
      { id: 'profile', value: { owner: 'A' }, version: 1 },
    ]);
    expect((await allItems(b())).map((item) => item.id).sort()).toEqual(['only-b', 'profile']);
  });

  it('does not open B’s ciphertext copied into A’s partition: an error, never B’s data', async () => {
    await b().put('stolen', { owner: 'B', card: '4111' });
    const fromB = await rawItem('client-b', 'stolen');
    const aKid = (await rawItem('client-a', 'profile')).kid;
    // The copy as an attacker with table access would make it, passing for A's item.
    await rawPut({ ...fromB, pk: { S: 'TENANT#client-a' }, kid: aKid });
    await expect(a().get('stolen')).rejects.toThrow(SealedValueError);
    await expect(a().get('stolen')).rejects.toThrow(/Data item "stolen" of tenant "client-a" did not open/);
    await expect(allItems(a())).rejects.toThrow(SealedValueError);
    await a().delete('stolen');
  });

  it('reads B’s item copied wholesale into A’s partition as absent, never as B’s data', async () => {
    await rawPut({ ...(await rawItem('client-b', 'stolen')), pk: { S: 'TENANT#client-a' } });
    expect(await a().get('stolen')).toBeUndefined();
    expect((await allItems(a())).map((item) => item.id)).not.toContain('stolen');
    await a().delete('stolen');
  });

  it('does not open a ciphertext moved to another item id of the same tenant', async () => {
    await a().put('settings', { theme: 'dark' });
    await rawPut({ ...(await rawItem('client-a', 'settings')), sk: { S: 'DATA#permissions' } });
    await expect(a().get('permissions')).rejects.toThrow(SealedValueError);
    await a().delete('permissions');
  });

  it('does not open B’s sealed shared secret copied into A’s record: an error, never B’s secret', async () => {
    const record = async (clientKey: string) =>
      (await fx.table.client.send(new GetItemCommand({ TableName: fx.table.tableName, Key: { pk: { S: `TENANT#${clientKey}` }, sk: { S: 'RECORD' } }, ConsistentRead: true }))).Item!;
    const original = await record('client-a');
    await rawPut({ ...original, secret: (await record('client-b')).secret });
    const fresh = fx.store();
    await expect(fresh.sharedSecret('client-a')).rejects.toThrow(/The shared secret of tenant "client-a" did not open/);
    await expect(fresh.sharedSecret('client-a')).rejects.not.toThrow(payload('b').sharedSecret);
    await rawPut(original);
    expect(await fx.store().sharedSecret('client-a')).toBe(payload('a').sharedSecret);
  });

  it('deletes only the tenant’s own item', async () => {
    await a().put('shared-id', 'A');
    await b().put('shared-id', 'B');
    await a().delete('shared-id');
    expect(await a().get('shared-id')).toBeUndefined();
    expect((await b().get('shared-id'))?.value).toBe('B');
  });

  it('binds every data key to the app, realm and tenant in the KMS encryption context', async () => {
    fx.kms.resetCounts();
    await fx.store().dataFor('client-a').get('profile');
    await fx.store().dataFor('client-b').get('profile');
    await fx.store().install(payload('c'));
    expect(fx.kms.contexts).toEqual([
      { app: APP, realm: REALM, tenant: 'client-a' },
      { app: APP, realm: REALM, tenant: 'client-b' },
      { app: APP, realm: REALM, tenant: 'client-c' },
    ]);
  });

  it('refuses item ids that are empty, too long or hold control characters', async () => {
    await expect(a().put('', 1)).rejects.toThrow(/data item id must be 1 to 512 UTF-8 bytes/);
    await expect(a().get('x'.repeat(513))).rejects.toThrow(/data item id/);
    await expect(a().delete('line\nbreak')).rejects.toThrow(/without control characters/);
  });

  it('refuses a value that is not JSON', async () => {
    await expect(a().put('nothing', undefined)).rejects.toThrow(/not JSON-serializable/);
  });
});
