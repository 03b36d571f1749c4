import { DeleteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startLocalTable, LocalTable } from '../../../dev/local-table';
import { OPEN_MIGRATION_SORT_KEY, OpenMigrations } from '../../../runtime/migration/open-migration';
import { tenantPartition } from '../../../runtime/tenants/item-keys';

let table: LocalTable;
beforeAll(async () => {
  table = await startLocalTable();
});
afterAll(() => table.close());

const never = async () => false;
const NOW = 1_000;

// A client of the same table that, after its next read of the item, deletes it: DynamoDB's TTL
// running out between a schedule's read and its conditional write.
function expiringAfterRead(tenant: string): DynamoDBClient {
  const client = new DynamoDBClient({ endpoint: table.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  let armed = true;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const out = await next(args);
      if (armed && context.commandName === 'GetItemCommand') {
        armed = false;
        await table.client.send(new DeleteItemCommand({ TableName: table.tableName, Key: { pk: { S: tenantPartition(tenant) }, sk: { S: OPEN_MIGRATION_SORT_KEY } } }));
      }
      return out;
    },
    { step: 'initialize', name: 'expireAfterRead' },
  );
  return client;
}

describe('OpenMigrations', () => {
  it('expires a released item with the record, and a later migration takes the tenant anew', async () => {
    const open = new OpenMigrations(table.client, table.tableName);
    expect(await open.take('tenant-a', 'm-1', NOW + 100, NOW, never)).toBe(1);
    await open.release('tenant-a', 'm-1', 1, NOW + 30);
    expect(await open.get('tenant-a')).toMatchObject({ migrationId: 'm-1', open: false });
    expect(await open.take('tenant-a', 'm-2', NOW + 100, NOW, never)).toBe(2);
    expect(await open.get('tenant-a')).toEqual({ migrationId: 'm-2', generation: 2, open: true, staleAt: NOW + 100 });
  });

  it('takes the tenant when its released item expires between the read and the write, instead of refusing it', async () => {
    const open = new OpenMigrations(table.client, table.tableName);
    expect(await open.take('tenant-b', 'm-1', NOW + 100, NOW, never)).toBe(1);
    await open.release('tenant-b', 'm-1', 1, NOW + 30);
    const racing = new OpenMigrations(expiringAfterRead('tenant-b'), table.tableName);
    expect(await racing.take('tenant-b', 'm-2', NOW + 100, NOW, never)).toBe(1);
    expect(await open.get('tenant-b')).toMatchObject({ migrationId: 'm-2', generation: 1, open: true });
  });

  it('still refuses a tenant another open migration holds', async () => {
    const open = new OpenMigrations(table.client, table.tableName);
    expect(await open.take('tenant-c', 'm-1', NOW + 100, NOW, never)).toBe(1);
    expect(await open.take('tenant-c', 'm-2', NOW + 100, NOW, never)).toBeUndefined();
  });
});
