// Lambda entry of a realm's scheduled sweep: lists the realm's tenant records, shreds uninstalled
// tenants past their shred time on their own sessions (key, every object version, items), and
// reconciles the directory through the realm's relay, which hashes the tenant ids here.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { jsonLogger } from '../../../runtime/app/logger';
import { FunctionDirectory } from '../../../runtime/directory/function-directory';
import { ENV } from '../../../runtime/lambda/environment';
import { tenantSessionStoresFromEnvironment } from '../../../runtime/lambda/tenant-session-stores';
import { sweepRealm } from '../../../runtime/lifecycle/realm-sweep';
import { TenantTable } from '../../../runtime/tenants/tenant-table';

const { store, settings } = tenantSessionStoresFromEnvironment();
// The listing runs on the function's own role: a Scan of the record attributes only, no tenant data.
const table = new TenantTable(new DynamoDBClient({}), settings.tableName);
const relay = process.env[ENV.directoryFunction];
const directory = relay ? new FunctionDirectory({ functionName: relay }) : undefined;

/** Scheduled handler (EventBridge): one sweep of the realm. */
export const handler = async (): Promise<void> => {
  const result = await sweepRealm({ realm: settings.realm, records: () => table.scanRecords(), store, ...(directory ? { directory } : {}) });
  jsonLogger({ level: 'info', event: 'realm-sweep', live: result.live, shredded: result.shredded, ...(result.reconciled ? { reconciled: result.reconciled } : {}) });
};
