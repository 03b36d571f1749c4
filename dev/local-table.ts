import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { AddressInfo } from 'node:net';
import { TABLE_LAYOUT } from '../runtime/tenants/table-layout';
// dynalite speaks the DynamoDB protocol from Node, in memory: no Docker, no AWS account.
const dynalite = require('dynalite') as (opts: Record<string, number>) => import('node:net').Server;

/** A DynamoDB-protocol server in this process with the tenant table created as the realm stack defines it. */
export interface LocalTable {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly endpoint: string;
  close(): Promise<void>;
}

/**
 * Starts dynalite on a free local port and creates the tenant table. dynalite has no TTL
 * process and no TransactWriteItems; the tenant store checks expiry itself and orders its
 * conditional writes, so it needs neither.
 */
export async function startLocalTable(tableName = 'tenants'): Promise<LocalTable> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    // A local server either answers or is broken: retries would only hide failures in tests.
    maxAttempts: 1,
  });
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: TABLE_LAYOUT.partitionKey, AttributeType: 'S' },
        { AttributeName: TABLE_LAYOUT.sortKey, AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: TABLE_LAYOUT.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_LAYOUT.sortKey, KeyType: 'RANGE' },
      ],
    }),
  );
  return {
    client,
    tableName,
    endpoint,
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
