import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { KmsKeySource } from '../../../runtime/crypto';
import { DynamoTenantStore, DynamoTenantStoreProps, InstallPayload } from '../../../runtime/tenants';
import { LocalTable as LocalTenantTable, startLocalTable as startTenantTable } from '../../../dev/local-table';
import { FakeKms } from '../../helpers/fake-kms';

export const APP = 'com.example.app';
export const REALM = 'EU';
export const KEY_ARN = 'arn:aws:kms:eu-central-1:111111111111:key/realm-eu';
export const DAY = 24 * 60 * 60 * 1000;

/** An install payload for tenant `name`, on its own site. */
export function payload(name: string, overrides: Partial<InstallPayload> = {}): InstallPayload {
  return {
    clientKey: `client-${name}`,
    sharedSecret: `shared-secret-of-${name}-0123456789abcdef`,
    baseUrl: `https://${name}.atlassian.net`,
    productType: 'jira',
    ...overrides,
  };
}

/** A settable clock. */
export class Clock {
  constructor(public ms = Date.parse('2025-06-01T00:00:00Z')) {}
  public readonly now = () => this.ms;
  public advance(ms: number): void {
    this.ms += ms;
  }
}

/** A dynalite tenant table, a fake KMS and a clock, shared by the stores of one test file. */
export class StoreFixture {
  public kms = new FakeKms();
  public clock = new Clock();
  private constructor(public readonly table: LocalTenantTable) {}

  public static async start(): Promise<StoreFixture> {
    return new StoreFixture(await startTenantTable(`tenants-${Math.random().toString(36).slice(2)}`));
  }

  /** A store, as one function instance would have it (its own caches). */
  public store(props: Partial<DynamoTenantStoreProps> = {}): DynamoTenantStore {
    return new DynamoTenantStore({
      client: this.table.client,
      tableName: this.table.tableName,
      keySource: new KmsKeySource({ keyId: KEY_ARN, client: this.kms.client }),
      app: APP,
      realm: REALM,
      now: this.clock.now,
      ...props,
    });
  }

  /** Every item of the table, as DynamoDB holds it. */
  public async scan(): Promise<Record<string, unknown>[]> {
    const out = await this.table.client.send(new ScanCommand({ TableName: this.table.tableName, ConsistentRead: true }));
    return (out.Items ?? []) as Record<string, unknown>[];
  }

  public close(): Promise<void> {
    return this.table.close();
  }
}
