// npm run bench:migration: one tenant migrated between two dynalite servers with a modelled
// cross-region latency (+5 ms per source request, +90 ms per target request, added by a
// middleware on the clients; S3 requests the same, plus a per-stream transfer rate), the
// copy running on its own after start (continuations in this process, each after a modelled
// asynchronous invoke), status polled only to report. Prints items and bytes per second and
// the wall time projected for 1,000,000 items and 10 GB of objects.
// ITEMS, OBJECTS and OBJECT_MB (environment) size the tenant: 100,000 items of 1 KB and
// 1,000 objects of 10 MB (10 GB, held by reference in memory) by default.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startLocalTable } from '../dev/local-table';
import { LocalKeySource, seal } from '../runtime/crypto';
import { InMemoryDirectory } from '../runtime/directory/in-memory-directory';
import { DEPLOYED_LEASE_MS, DEPLOYED_WRITE_MARGIN_MS } from '../runtime/lambda/realm-stores';
import { MigrationEngine, ObjectPage, ObjectStore, StoredBody, tenantObjectPrefix } from '../runtime/migration';
import { compareUtf8 } from '../runtime/migration/key-order';
import { TenantItems } from '../runtime/migration/tenant-items';
import { DynamoTenantStore } from '../runtime/tenants';
import { dataAad } from '../runtime/tenants/item-keys';

const ITEMS = Number(process.env.ITEMS ?? 100_000);
const OBJECTS = Number(process.env.OBJECTS ?? 1000);
const OBJECT_BYTES = Number(process.env.OBJECT_MB ?? 10) * 1024 * 1024;
const STREAM_MB_S = 25; // modelled transfer rate of one S3 request stream across regions
const INVOKE_MS = 100; // modelled delay of an asynchronous Lambda invoke (a continuation)
const APP = 'com.example.bench';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function withLatency(client: DynamoDBClient, ms: number): void {
  client.middlewareStack.add((next) => async (args) => {
    await sleep(ms);
    return next(args);
  }, { step: 'initialize', name: 'latencyModel' });
}

/** A bucket holding bodies by reference (10 GB fits), with a latency and a per-stream transfer rate. */
class ModelledBucket implements ObjectStore {
  private readonly objects = new Map<string, StoredBody>();
  constructor(private readonly ms: number) {}
  private transfer(bytes: number) { return sleep(this.ms + (bytes / (STREAM_MB_S * 1024 * 1024)) * 1000); }
  public async list(prefix: string, startAfter: string | undefined, limit: number): Promise<ObjectPage> {
    await this.transfer(0);
    const keys = [...this.objects.keys()].filter((k) => k.startsWith(prefix) && (startAfter === undefined || compareUtf8(k, startAfter) > 0)).sort(compareUtf8);
    const page = keys.slice(0, limit);
    return { objects: page.map((key) => ({ key, size: this.objects.get(key)!.body.length })), more: keys.length > page.length };
  }
  public async get(key: string) { const o = this.objects.get(key); await this.transfer(o?.body.length ?? 0); return o; }
  public async put(key: string, body: Uint8Array, contentType?: string, signal?: AbortSignal) { signal?.throwIfAborted(); await this.transfer(body.length); signal?.throwIfAborted(); this.objects.set(key, contentType === undefined ? { body } : { body, contentType }); }
  public async delete(key: string) { await this.transfer(0); this.objects.delete(key); }
  public seed(key: string, body: Uint8Array) { this.objects.set(key, { body }); }
  public get size() { return this.objects.size; }
}

interface Run { copyS: number; startS: number; commitS: number; deletedS: number; continuations: number }

async function main(): Promise<void> {
  const items = await migrate('items', ITEMS, 0);
  const objects = await migrate('objects', 0, OBJECTS);
  const gb = (OBJECTS * OBJECT_BYTES) / 1024 ** 3;
  const projectedS = (1_000_000 / ITEMS) * items.copyS + (10 / gb) * objects.copyS;
  console.log(`latency +5 ms per source request, +90 ms per target request; S3 streams at ${STREAM_MB_S} MB/s; ${INVOKE_MS} ms per continuation invoke`);
  for (const [name, r] of [[`${ITEMS} items of 1 KB`, items], [`${OBJECTS} objects of ${OBJECT_BYTES / 1024 ** 2} MB (${gb.toFixed(2)} GB)`, objects]] as const) {
    console.log(
      `${name}: start answered in ${r.startS.toFixed(2)} s; copy + verify ran on its own in ${r.copyS.toFixed(1)} s over ${r.continuations} continuation invokes (duplicates from status included) ` +
        `(status only reported); commit answered in ${r.commitS.toFixed(2)} s, the source copy gone ${r.deletedS.toFixed(1)} s after it`,
    );
  }
  console.log(`items per second: ${(ITEMS / items.copyS).toFixed(0)} (copy and verify); objects: ${((OBJECTS * OBJECT_BYTES) / objects.copyS / 1024 ** 2).toFixed(0)} MB/s`);
  console.log(`projected 1,000,000 items: ${((1_000_000 / ITEMS) * items.copyS / 3600).toFixed(2)} h; 10 GB of objects: ${((10 / gb) * objects.copyS / 3600).toFixed(2)} h`);
  console.log(`projected 1,000,000 items + 10 GB of objects, one after the other: ${(projectedS / 3600).toFixed(2)} h (target 1.5 h: ${projectedS <= 1.5 * 3600 ? 'met' : 'NOT met'})`);
}

/** Seeds a tenant of `itemCount` items and `objectCount` objects, migrates it and commits. */
async function migrate(name: string, itemCount: number, objectCount: number): Promise<Run> {
  const [a, b] = await Promise.all([startLocalTable('bench-source'), startLocalTable('bench-target')]);
  const keys = { Global: LocalKeySource.random(), EU: LocalKeySource.random() };
  const buckets = { Global: new ModelledBucket(5), EU: new ModelledBucket(90) };
  const source = new DynamoTenantStore({ client: a.client, tableName: a.tableName, keySource: keys.Global, app: APP, realm: 'Global' });
  const tenant = `client-${name}`;
  await source.install({ clientKey: tenant, sharedSecret: 'bench-shared-secret-0123456789abcdef', baseUrl: 'https://bench.atlassian.net', productType: 'jira' });
  if (itemCount > 0) {
    // Seeded sealed under the tenant's key, as the store writes them, in batches (the store's puts would take minutes here).
    await source.dataFor(tenant).put('item-0', 'x');
    const items = new TenantItems(a.client, a.tableName);
    const keyItem = (await items.getKey(tenant))!;
    const dataKey = await keys.Global.unwrap(keyItem.wrappedKey, { app: APP, realm: 'Global', tenant });
    const value = JSON.stringify('x'.repeat(1000));
    const at = new Date().toISOString();
    for (let i = 0; i < itemCount; i += 2500) {
      const ids = Array.from({ length: Math.min(2500, itemCount - i) }, (_, j) => `item-${i + j}`);
      await items.putDataBatch(tenant, ids.map((id) => ({ id, kid: keyItem.kid, value: seal(value, dataKey, dataAad(tenant, keyItem.kid, id)), updatedAt: at, version: 1 })), 8);
    }
  }
  const body = new Uint8Array(OBJECT_BYTES).fill(7);
  for (let i = 0; i < objectCount; i++) buckets.Global.seed(`${tenantObjectPrefix(tenant)}o-${String(i).padStart(4, '0')}`, body);
  withLatency(a.client, 5);
  withLatency(b.client, 90);
  let continuations = 0;
  const running = new Set<Promise<unknown>>();
  const engine: MigrationEngine = new MigrationEngine({
    app: APP, realm: 'Global', directory: new InMemoryDirectory(), log: (e) => console.error(JSON.stringify(e)),
    leaseMs: DEPLOYED_LEASE_MS, writeMarginMs: DEPLOYED_WRITE_MARGIN_MS,
    continuation: async (t, id) => {
      continuations++;
      const run: Promise<unknown> = sleep(INVOKE_MS)
        .then(() => engine.advance(t, id))
        .catch((err) => console.error(`continuation failed: ${(err as Error).message}`))
        .finally(() => running.delete(run));
      running.add(run);
    },
    realms: {
      Global: { stackRealm: 'Global', client: a.client, tableName: a.tableName, keySource: keys.Global, objects: buckets.Global },
      EU: { stackRealm: 'EU', client: b.client, tableName: b.tableName, keySource: keys.EU, objects: buckets.EU },
    },
  });
  const req = { migrationId: 'bench', location: 'EU' };
  await engine.schedule(tenant, req);
  const settle = async (until: string) => {
    for (;;) {
      const { status } = await engine.status(tenant, 'bench');
      if (status === until) return;
      if (status === 'failed') throw new Error(`the migration of ${name} failed`);
      await sleep(250);
    }
  };
  const t0 = Date.now();
  await engine.start(tenant, req);
  const startS = (Date.now() - t0) / 1000;
  await settle('ready-to-commit');
  const copyS = (Date.now() - t0) / 1000;
  const t1 = Date.now();
  await engine.commit(tenant, 'bench');
  const commitS = (Date.now() - t1) / 1000;
  await settle('committed');
  const deletedS = (Date.now() - t1) / 1000;
  if (buckets.EU.size !== objectCount || buckets.Global.size !== 0) throw new Error(`expected ${objectCount} objects moved, found ${buckets.EU.size} in the target and ${buckets.Global.size} in the source`);
  while (running.size > 0) await Promise.all([...running]);
  await Promise.all([a.close(), b.close()]);
  return { copyS, startS, commitS, deletedS, continuations };
}

main().catch((err) => {
  console.error(`bench:migration failed: ${(err as Error).message}`);
  process.exitCode = 1;
});
