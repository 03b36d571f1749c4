import { createHmac, randomUUID } from 'node:crypto';
import { CloudFrontKeyValueStoreClient } from '@aws-sdk/client-cloudfront-keyvaluestore';
import { edgeRouterCode } from '../../../constructs/edge-router';
import {
  FunctionDirectory,
  HashedFunctionDirectory,
  KeyValueStoreDirectory,
  directoryRequestHandler,
  onlyRealms,
  reconcileByRange,
  slotRequestHandler,
} from '../../../runtime/directory';
import { loadRouter } from '../../constructs/edge-router/load-router';
import { FakeStore } from '../../helpers/fake-kvs';
import { sweepRealm } from '../../../runtime/lifecycle';
import { TenantTable } from '../../../runtime/tenants/tenant-table';
import { payload, StoreFixture } from '../tenants/store-fixture';
import { lambdaRunning } from '../../helpers/lambda-running';
import { WRITER, KVS_ARN, KEY, REALMS } from '../../helpers/directory-fixture';

const HOSTS = Object.fromEntries(REALMS.map((r) => [r, `${r.toLowerCase()}.app.example.com`]));
const relayName = (realm: string) => `arn:aws:lambda:eu-central-1:123456789012:function:Demo-${realm}-relay`;

/** The deployed chain: per realm, app -> relay (hashing with the key) -> one of `instances` writer instances over one store. */
function deployment(instances: number, latencyMs: number) {
  const store = new FakeStore(latencyMs);
  const kvs = new CloudFrontKeyValueStoreClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  store.install(kvs);
  // The deployed writer's 4.5 s budget is wall time of one instance on its own; here every instance, relay and
  // the store share one event loop on a shared CI machine, so each gets 30 s: what is under test is that the
  // ETag races lose nothing (bench:directory measures what the real budget sustains).
  const writers = Array.from({ length: instances }, () =>
    slotRequestHandler(new KeyValueStoreDirectory({ kvsArn: KVS_ARN, client: kvs, directoryKey: async () => KEY, writeBudgetMs: 30_000 }), REALMS),
  );
  const sentToWriter: string[] = [];
  let next = 0;
  const writerClient = lambdaRunning({
    [WRITER]: async (event) => {
      sentToWriter.push(JSON.stringify(event));
      return writers[next++ % writers.length]!(event);
    },
  });
  const relays = Object.fromEntries(
    REALMS.map((realm) => [
      relayName(realm),
      directoryRequestHandler(onlyRealms(new HashedFunctionDirectory({ functionName: WRITER, client: writerClient, directoryKey: async () => KEY }), [realm])),
    ]),
  );
  const relayClient = lambdaRunning(relays);
  const app = (realm: string) => new FunctionDirectory({ functionName: relayName(realm), client: relayClient });
  const relay = new HashedFunctionDirectory({ functionName: WRITER, client: writerClient, directoryKey: async () => KEY });
  // A realm's reconcile as its sweep runs it, from a listing that does not change meanwhile.
  const reconcile = (realm: string, listed: readonly string[]) => reconcileByRange({ realm, directory: relay, listed, relist: async () => listed, settleMs: 0 });
  return { store, app, sentToWriter, reconcile };
}

/** Where the real edge router sends a request carrying a Connect token issued by `tenant`. */
async function routed(entries: ReadonlyMap<string, string>, tenants: readonly string[]): Promise<Array<string>> {
  const router = loadRouter(edgeRouterCode(HOSTS), entries);
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const out: string[] = [];
  for (const tenant of tenants) {
    const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ iss: tenant, iat: 1, exp: 2, qsh: 'x' })}`;
    const token = `${body}.${createHmac('sha256', 's').update(body).digest('base64url')}`;
    const before = router.originUpdates.length;
    await router.handler({ request: { method: 'GET', uri: '/p', querystring: { jwt: { value: token } }, headers: {} } });
    const update = router.originUpdates[before] as { domainName: string } | undefined;
    out.push(router.originUpdates.length > before ? update!.domainName : HOSTS.Global!);
  }
  return out;
}

describe('the tenant directory under load', () => {
  it('loses none of 1,000 concurrent installs across 5 realms (8 writer instances racing on one ETag), and routes every tenant to its realm', async () => {
    const { store, app, sentToWriter } = deployment(8, 3);
    const tenants = Array.from({ length: 1000 }, (_, i) => ({ id: randomUUID(), realm: REALMS[i % REALMS.length]! }));
    await Promise.all(tenants.map((t) => app(t.realm).setRealm(t.id, t.realm)));
    expect(store.conflicts).toBeGreaterThan(0); // the writers did race
    expect(await routed(store.entries, tenants.map((t) => t.id))).toEqual(tenants.map((t) => HOSTS[t.realm]));
    // No tenant id reached the writer, in any request.
    const payloads = sentToWriter.join('\n');
    expect(sentToWriter).toHaveLength(1000);
    expect(tenants.filter((t) => payloads.includes(t.id))).toEqual([]);
    expect(sentToWriter.every((p) => !p.includes('tenantId'))).toBe(true);
  }, 60_000);

  it('heals a failed uninstall on the next reconcile of its realm, rewriting only the bucket that disagreed', async () => {
    const { store, app, reconcile } = deployment(2, 0);
    const eu = Array.from({ length: 40 }, () => randomUUID());
    const us = Array.from({ length: 10 }, () => randomUUID());
    await Promise.all([...eu.map((id) => app('EU').setRealm(id, 'EU')), ...us.map((id) => app('US').setRealm(id, 'US'))]);
    // The uninstall deleted the tenant's record in EU, but its directory write failed: the entry is stale.
    const [gone, ...kept] = eu;
    const failing = new FunctionDirectory({ functionName: relayName('EU'), client: lambdaRunning({}) });
    await expect(failing.remove(gone!)).rejects.toThrow('Function not found');
    expect(await routed(store.entries, [gone!])).toEqual([HOSTS.EU]);

    const writesBefore = store.writes;
    // 32 calls of 512 buckets, then the one range holding a record the listing lacks, once more with its removal.
    expect(await reconcile('EU', kept)).toEqual({ added: 0, removed: 1, elsewhere: 0, kept: 0, calls: 33, bucketsRead: 16_384 + 512, bucketsWritten: 1 });
    expect(store.writes - writesBefore).toBe(1);
    expect(await routed(store.entries, [gone!, ...kept, ...us])).toEqual([HOSTS.Global, ...kept.map(() => HOSTS.EU), ...us.map(() => HOSTS.US)]);
    // A second reconcile finds nothing to change and writes nothing.
    expect(await reconcile('EU', kept)).toEqual({ added: 0, removed: 0, elsewhere: 0, kept: 0, calls: 32, bucketsRead: 16_384, bucketsWritten: 0 });
    expect(store.writes - writesBefore).toBe(1);
  });

  it('restores an install whose directory write failed, and leaves a slot another realm holds to that realm', async () => {
    const { store, app, reconcile } = deployment(1, 0);
    const lost = randomUUID();
    const moved = randomUUID();
    await app('US').setRealm(moved, 'US');
    expect(await reconcile('EU', [lost, moved])).toEqual({ added: 1, removed: 0, elsewhere: 1, kept: 0, calls: 32, bucketsRead: 16_384, bucketsWritten: 1 });
    expect(await routed(store.entries, [lost, moved])).toEqual([HOSTS.EU, HOSTS.US]);
  });

  it("heals a failed remove on the realm's scheduled sweep: its tenant records go through the relay, hashed in the realm", async () => {
    const fx = await StoreFixture.start();
    try {
      const { store: kvs, app, sentToWriter } = deployment(2, 0);
      const tenants = fx.store();
      const installs = Array.from({ length: 30 }, (_, i) => payload(`sweep-${i}`));
      for (const p of installs) {
        await app('EU').setRealm(p.clientKey, 'EU');
        await tenants.install(p);
      }
      // Uninstalled in the realm, but the relay was unreachable: the directory entry is stale.
      const [gone, disabled, ...rest] = installs;
      await tenants.uninstall(gone!.clientKey);
      await tenants.setEnabled(disabled!.clientKey, false);
      const unreachable = new FunctionDirectory({ functionName: relayName('EU'), client: lambdaRunning({}) });
      await expect(unreachable.remove(gone!.clientKey)).rejects.toThrow('Function not found');
      expect(await routed(kvs.entries, [gone!.clientKey])).toEqual([HOSTS.EU]);

      sentToWriter.length = 0;
      const table = new TenantTable(fx.table.client, fx.table.tableName);
      const swept = await sweepRealm({ realm: 'EU', records: () => table.scanRecords(), store: tenants, directory: app('EU'), now: fx.clock.now, settleMs: 0 });
      expect(swept).toEqual({ live: 29, shredded: 0, reconciled: { added: 0, removed: 1, elsewhere: 0, kept: 0, calls: 33, bucketsRead: 16_384 + 512, bucketsWritten: 1 } });
      expect(await routed(kvs.entries, installs.map((p) => p.clientKey))).toEqual([HOSTS.Global, HOSTS.EU, ...rest.map(() => HOSTS.EU)]);
      // 33 reconcile requests left the realm (one per range, one to remove), and none names a tenant.
      expect(sentToWriter).toHaveLength(33);
      expect(installs.filter((p) => sentToWriter.some((sent) => sent.includes(p.clientKey)))).toEqual([]);
      // A relay records only its own realm.
      await expect(app('EU').reconcile('US', { from: 0, to: 512 }, [])).rejects.toThrow(/is not one this function may record/);
    } finally {
      await fx.close();
    }
  });
});
