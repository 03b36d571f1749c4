// npm run bench:migration: one tenant migrated between two dynalite servers with a modelled
// cross-region latency (+5 ms per source request, +90 ms per target request, added by a
// middleware on the clients), driven through start and status as Atlassian would; prints
// items per second and the wall time projected for 1,000,000 items and 10 GB of objects.
// ITEMS and OBJECTS (environment) size the tenant; the default is small so it runs here.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startLocalTable } from '../dev/local-table';
import { LocalKeySource } from '../runtime/crypto';
import { InMemoryDirectory } from '../runtime/directory/in-memory-directory';
import { InMemoryObjectStore, MigrationEngine, ObjectStore, tenantObjectPrefix } from '../runtime/migration';
import { DynamoTenantStore } from '../runtime/tenants';

const ITEMS = Number(process.env.ITEMS ?? 2000);
const OBJECTS = Number(process.env.OBJECTS ?? 20);
const OBJECT_BYTES = 10 * 1024; // 1,000 objects of 10 MB would be 10 GB; the bench projects from smaller ones
const APP = 'com.example.bench';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function withLatency(client: DynamoDBClient, ms: number): void {
  client.middlewareStack.add((next) => async (args) => {
    await sleep(ms);
    return next(args);
  }, { step: 'initialize', name: 'latencyModel' });
}

class SlowObjects extends InMemoryObjectStore implements ObjectStore {
  constructor(private readonly ms: number) {
    super();
  }
  public override async list(...a: Parameters<InMemoryObjectStore['list']>) { await sleep(this.ms); return super.list(...a); }
  public override async get(key: string) { await sleep(this.ms); return super.get(key); }
  public override async put(key: string, body: Uint8Array, type?: string) { await sleep(this.ms); return super.put(key, body, type); }
  public override async delete(key: string) { await sleep(this.ms); return super.delete(key); }
}

async function main(): Promise<void> {
  const [a, b] = await Promise.all([startLocalTable('bench-source'), startLocalTable('bench-target')]);
  const keys = { Global: LocalKeySource.random(), EU: LocalKeySource.random() };
  const objects = { Global: new SlowObjects(5), EU: new SlowObjects(90) };
  const source = new DynamoTenantStore({ client: a.client, tableName: a.tableName, keySource: keys.Global, app: APP, realm: 'Global' });
  const tenant = 'client-bench';
  await source.install({ clientKey: tenant, sharedSecret: 'bench-shared-secret-0123456789abcdef', baseUrl: 'https://bench.atlassian.net', productType: 'jira' });
  const data = source.dataFor(tenant);
  const value = 'x'.repeat(1000);
  for (let i = 0; i < ITEMS; i += 100) await Promise.all(Array.from({ length: Math.min(100, ITEMS - i) }, (_, j) => data.put(`item-${i + j}`, value)));
  for (let i = 0; i < OBJECTS; i++) await objects.Global.put(`${tenantObjectPrefix(tenant)}o-${i}`, new Uint8Array(OBJECT_BYTES));
  withLatency(a.client, 5);
  withLatency(b.client, 90);
  const engine = new MigrationEngine({
    app: APP, realm: 'Global', directory: new InMemoryDirectory(), log: () => undefined, budgetMs: 5000,
    realms: {
      Global: { stackRealm: 'Global', client: a.client, tableName: a.tableName, keySource: keys.Global, objects: objects.Global },
      EU: { stackRealm: 'EU', client: b.client, tableName: b.tableName, keySource: keys.EU, objects: objects.EU },
    },
  });
  const t0 = Date.now();
  const req = { migrationId: 'bench', location: 'EU' };
  await engine.schedule(tenant, req);
  await engine.start(tenant, req);
  let calls = 1;
  while ((await engine.status(tenant, 'bench')).status === 'in-progress') calls++;
  const copyS = (Date.now() - t0) / 1000;
  const t1 = Date.now();
  await engine.commit(tenant, 'bench');
  const commitS = (Date.now() - t1) / 1000;
  const perSecond = ITEMS / copyS;
  // Hook calls work back to back here; under Atlassian (a 5 s call every 5 min) the copy advances 1/60 of that.
  const projectedH = (1_000_000 / perSecond) / 3600;
  const objectBytesPerS = (OBJECTS * OBJECT_BYTES) / copyS;
  console.log(`tenant: ${ITEMS} items of 1 KB, ${OBJECTS} objects of ${OBJECT_BYTES / 1024} KB; latency +5 ms source, +90 ms target`);
  console.log(`copy + verify: ${copyS.toFixed(1)} s in ${calls} back-to-back hook calls (budget 5 s each); commit ${commitS.toFixed(1)} s`);
  console.log(`items per second: ${perSecond.toFixed(0)} (copy and verify, objects included)`);
  console.log(`projected 1,000,000 items: ${projectedH.toFixed(2)} h if calls ran back to back; ${(projectedH * 60).toFixed(0)} h driven only by 5-minute polls`);
  console.log(`projected 10 GB of objects at this rate: ${((10 * 1024 ** 3) / objectBytesPerS / 3600).toFixed(2)} h (upper bound: objects and items share the time)`);
  console.log(`target 1.5 h for 1,000,000 items: ${projectedH <= 1.5 ? 'met' : 'NOT met'}`);
  await Promise.all([a.close(), b.close()]);
}

main().catch((err) => {
  console.error(`bench:migration failed: ${(err as Error).message}`);
  process.exitCode = 1;
});
