import { BatchWriteItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { LocalTable, startLocalTable } from '../../../dev/local-table';
import { LocalKeySource } from '../../../runtime/crypto';
import { InMemoryDirectory } from '../../../runtime/directory/in-memory-directory';
import { InMemoryObjectStore, MigrationEngine, MigrationEngineProps, RealmStores, tenantObjectPrefix } from '../../../runtime/migration';
import { DynamoTenantStore, InstallPayload } from '../../../runtime/tenants';

export const APP = 'com.example.residency-demo';
export const SOURCE = 'Global';
export const TARGET = 'EU';

/** A settable clock (the engine's leases and budgets run on it). */
export class Clock {
  public ms = Date.parse('2026-11-01T00:00:00Z');
  public readonly now = () => this.ms;
  public readonly sleep = async (ms: number) => {
    this.ms += ms;
  };
  public advance(ms: number): void {
    this.ms += ms;
  }
}

/**
 * Counts writes across both realms (DynamoDB and objects) and throws at the n-th one: before
 * it is sent, or (`after`) once it landed, before its caller hears of it.
 */
export class CrashPlan {
  private writes = 0;
  private crashAt = 0;
  /** Whether the crash comes before the write is sent or after it landed. */
  public when: 'before' | 'after' = 'before';
  /** Crash at the n-th write from now on (1-based); 0 never. */
  public arm(n: number, when: 'before' | 'after' = 'before'): void {
    this.writes = 0;
    this.crashAt = n;
    this.when = when;
  }
  public disarm(): void {
    this.crashAt = 0;
  }
  public get count(): number {
    return this.writes;
  }
  /** Called before every write. */
  public tick(): void {
    if (this.crashAt > 0 && ++this.writes === this.crashAt) throw new Error('injected crash');
  }
}

/** The in-memory object store, with every write passing the crash plan first. */
class CrashingObjectStore extends InMemoryObjectStore {
  constructor(private readonly plan: CrashPlan) {
    super();
  }
  public override async put(key: string, body: Uint8Array, contentType?: string, signal?: AbortSignal): Promise<void> {
    if (this.plan.when === 'before') this.plan.tick();
    await super.put(key, body, contentType, signal);
    if (this.plan.when === 'after') this.plan.tick();
  }
  public override async delete(key: string): Promise<void> {
    if (this.plan.when === 'before') this.plan.tick();
    await super.delete(key);
    if (this.plan.when === 'after') this.plan.tick();
  }
}

const WRITES = /^(PutItem|UpdateItem|DeleteItem|BatchWriteItem|TransactWriteItems)Command$/;

/** One realm: its own dynalite server (standing for a region), key source, bucket and tenant store. */
export interface Realm {
  readonly name: string;
  readonly table: LocalTable;
  readonly keySource: LocalKeySource;
  readonly objects: CrashingObjectStore;
  readonly store: DynamoTenantStore;
}

/** Two realms on two DynamoDB protocol servers, a directory, a clock and a crash plan. */
export class TwoRealms {
  public readonly clock = new Clock();
  public readonly directory = new InMemoryDirectory();
  private constructor(public readonly source: Realm, public readonly target: Realm, public readonly crash: CrashPlan) {}

  public static async start(): Promise<TwoRealms> {
    const [a, b] = await Promise.all([startLocalTable('tenants-global'), startLocalTable('tenants-eu')]);
    const plan = new CrashPlan();
    return new TwoRealms(realm(SOURCE, a, plan), realm(TARGET, b, plan), plan);
  }

  /** A tenant store of `r` with empty caches, as a new function instance would have it. */
  public freshStore(r: Realm): DynamoTenantStore {
    return new DynamoTenantStore({ client: r.table.client, tableName: r.table.tableName, keySource: r.keySource, app: APP, realm: r.name });
  }

  /** The realm stores as the engine of the source realm sees them. */
  public stores(): RealmStores {
    const endpoint = (r: Realm) => ({ stackRealm: r.name, client: r.table.client, tableName: r.table.tableName, keySource: r.keySource, objects: r.objects });
    return { [SOURCE]: endpoint(this.source), [TARGET]: endpoint(this.target) };
  }

  /** A migration engine of the source realm, as one function instance would have it. */
  public engine(props: Partial<MigrationEngineProps> = {}): MigrationEngine {
    return new MigrationEngine({
      app: APP,
      realm: SOURCE,
      realms: this.stores(),
      directory: this.directory,
      batchSize: 50,
      now: this.clock.now,
      sleep: this.clock.sleep,
      log: () => undefined,
      ...props,
    });
  }

  /** Installs a tenant in the source realm with `items` data items and `objects` objects. */
  public async seed(name: string, items: number, objects = 0): Promise<Tenant> {
    const tenant = payload(name);
    await this.source.store.install(tenant);
    await this.directory.setRealm(tenant.clientKey, SOURCE);
    const data = this.source.store.dataFor(tenant.clientKey);
    const ids = Array.from({ length: items }, (_, i) => `item-${String(i).padStart(4, '0')}`);
    for (let i = 0; i < ids.length; i += 50) {
      await Promise.all(ids.slice(i, i + 50).map((id, j) => data.put(id, { n: i + j, text: `value of ${id} of ${name}`, nested: { ok: true } })));
    }
    for (let i = 0; i < objects; i++) {
      await this.source.objects.put(`${tenantObjectPrefix(tenant.clientKey)}file-${i}.bin`, new Uint8Array(Buffer.from(`object ${i} of ${name} `.repeat(i + 1))));
    }
    return { ...tenant, ids };
  }

  /** Every item of a realm's table, as DynamoDB holds it, sorted. */
  public async scan(r: Realm): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, never> | undefined;
    do {
      const out = await r.table.client.send(new ScanCommand({ TableName: r.table.tableName, ConsistentRead: true, ExclusiveStartKey: start }));
      items.push(...((out.Items ?? []) as Record<string, unknown>[]));
      start = out.LastEvaluatedKey as typeof start;
    } while (start);
    const key = (i: Record<string, unknown>) => `${(i.pk as { S: string }).S}|${(i.sk as { S: string }).S}`;
    return items.sort((x, y) => key(x).localeCompare(key(y)));
  }

  /** A realm's tenant data as the store holds it: the scan without the migration engine's own bookkeeping. */
  public async tenantItems(r: Realm): Promise<Record<string, unknown>[]> {
    return (await this.scan(r)).filter((i) => !String((i.sk as { S: string }).S).startsWith('MIGRATION') && (i.pk as { S: string }).S !== 'MIGRATION-SLOTS');
  }

  /**
   * Deletes every item (data and bookkeeping) and object of a tenant in both realms: a test's
   * own reset between runs that each seed a new tenant, so the whole-table scans stay small.
   */
  public async forget(clientKey: string): Promise<void> {
    for (const r of [this.source, this.target]) {
      const items = (await this.scan(r)).filter((i) => JSON.stringify(i).includes(clientKey));
      for (let i = 0; i < items.length; i += 25) {
        const deletes = items.slice(i, i + 25).map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } as never } }));
        await r.table.client.send(new BatchWriteItemCommand({ RequestItems: { [r.table.tableName]: deletes } }));
      }
      for (const key of r.objects.keys().filter((k) => k.startsWith(tenantObjectPrefix(clientKey)))) await r.objects.delete(key);
    }
  }

  /** The slot items currently held in the source realm. */
  public async slots(): Promise<Record<string, unknown>[]> {
    return (await this.scan(this.source)).filter((i) => (i.pk as { S: string }).S === 'MIGRATION-SLOTS');
  }

  public async close(): Promise<void> {
    await Promise.all([this.source.table.close(), this.target.table.close()]);
  }
}

/** A seeded tenant: its install payload and its data item ids. */
export type Tenant = InstallPayload & { readonly ids: readonly string[] };

/** The install payload of tenant `name`. */
export function payload(name: string): InstallPayload {
  return {
    clientKey: `client-${name}`,
    sharedSecret: `shared-secret-of-${name}-0123456789abcdef`,
    baseUrl: `https://${name}.atlassian.net`,
    productType: 'jira',
    installationId: `ari:cloud:ecosystem::installation/${name}`,
  };
}

/** A migration request for `id` to `location`. */
export function request(id: string, location = TARGET) {
  return { migrationId: id, location, startTime: '2026-11-01T00:00:00Z', endTime: '2026-11-01T04:00:00Z' };
}

function realm(name: string, table: LocalTable, plan: CrashPlan): Realm {
  table.client.middlewareStack.add(
    (next, context) => async (args) => {
      const write = WRITES.test(context.commandName ?? '');
      if (write && plan.when === 'before') plan.tick();
      const out = await next(args);
      if (write && plan.when === 'after') plan.tick();
      return out;
    },
    { step: 'initialize', name: 'crashPlan' },
  );
  const keySource = LocalKeySource.random();
  return {
    name,
    table,
    keySource,
    objects: new CrashingObjectStore(plan),
    store: new DynamoTenantStore({ client: table.client, tableName: table.tableName, keySource, app: APP, realm: name }),
  };
}
