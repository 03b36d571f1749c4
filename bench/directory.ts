/**
 * The hashed tenant directory at 250,000 tenants: builds the CloudFront KeyValueStore
 * import file for random tenant ids (half Connect clientKeys, half Forge installation
 * ids, spread over every realm) under a fresh random directory key, and prints its size
 * against the 5 MB KVS limit, its collisions (must be 0) and the build time. The same
 * figures for 350,000 tenants show the headroom. Then the writers under load: sustained
 * installs per second through the realms' relays and racing writer instances against a
 * KeyValueStore stand-in that enforces ETags with network latency. Exits non-zero when a
 * limit is missed or an install is lost.
 * Usage: npm run bench:directory
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { DIRECTORY_LAYOUT, KVS_MAX_BYTES, REALM_CODES, buildDirectoryImage } from '../runtime/directory';
import { reconcileSweep, sustainedWrites } from './directory-writes';

const TENANTS = 250_000;
const HEADROOM = 350_000;
const MIB = 5 * 1024 * 1024;

// 64 letters and digits, as Secrets Manager generates the deployed key.
function randomDirectoryKey(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(64)].map((b) => alphabet[b % alphabet.length]).join('');
}

function* tenants(count: number): Generator<{ tenantId: string; realm: string }> {
  const realms = Object.keys(REALM_CODES);
  for (let i = 0; i < count; i++) {
    const tenantId = i % 2 === 0 ? randomUUID() : `ari:cloud:ecosystem::installation/${randomUUID()}`;
    yield { tenantId, realm: realms[i % realms.length]! };
  }
}

function measure(count: number) {
  const entries = [...tenants(count)];
  const start = process.hrtime.bigint();
  const image = buildDirectoryImage(entries, randomDirectoryKey());
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { count, image, ms };
}

async function main(): Promise<void> {
  const runs = [measure(TENANTS), measure(HEADROOM)];
  const maxRecords = Math.floor((DIRECTORY_LAYOUT.maxEntryChars - DIRECTORY_LAYOUT.bucketKeyLength) / DIRECTORY_LAYOUT.recordLength);
  console.log(`Hashed tenant directory (HMAC-SHA256, 2^14 buckets, 72-bit fingerprints); node ${process.version}`);
  console.log('');
  console.log('| tenants | import file bytes | % of 5,000,000 | % of 5 MiB | stored key+value bytes | KVS keys | fullest bucket | collisions | build ms |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const { count, image, ms } of runs) {
    const pct = (n: number, of: number) => ((n / of) * 100).toFixed(1);
    console.log(
      `| ${count.toLocaleString('en')} | ${image.bytes.toLocaleString('en')} | ${pct(image.bytes, KVS_MAX_BYTES)} | ${pct(image.bytes, MIB)} | ${image.storedBytes.toLocaleString('en')} | ${image.keys} | ${image.fullestBucket} of ${maxRecords} | ${image.collisions} | ${ms.toFixed(0)} |`,
    );
  }
  const at = runs[0]!.image;
  console.log('');
  console.log(`Chance of any collision at ${TENANTS.toLocaleString('en')} tenants: <= n(n-1)/2 / 2^86 = ${((TENANTS * (TENANTS - 1)) / 2 / 2 ** 86).toExponential(1)}.`);
  if (at.bytes > KVS_MAX_BYTES || at.collisions !== 0) {
    console.log(`FAIL: ${TENANTS} tenants need ${at.bytes} bytes (limit ${KVS_MAX_BYTES}) with ${at.collisions} collisions (must be 0)`);
    process.exitCode = 1;
  }
  console.log('');
  console.log('Directory writes under load: installs spread over 5 realms, all issued at once, through each realm\'s relay');
  console.log('(hashing in the realm) to W writer instances sharing one store; each store call takes 0 to L ms at random.');
  console.log('');
  console.log('| installs | writer instances | store latency ms | lost | UpdateKeys | ETag conflicts | seconds | sustained installs/s |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const [installs, instances, latency] of [[1000, 1, 20], [1000, 8, 20], [5000, 1, 20], [5000, 8, 20]] as const) {
    const r = await sustainedWrites(installs, instances, latency);
    console.log(`| ${installs.toLocaleString('en')} | ${instances} | ${latency} | ${r.lost} | ${r.writes} | ${r.conflicts} | ${r.seconds.toFixed(2)} | ${Math.round(installs / r.seconds).toLocaleString('en')} |`);
    // The burst (1,000 installs) must lose nothing; the 5,000 rows show where one store's single ETag saturates.
    if (r.lost !== 0 && installs <= 1000) process.exitCode = 1;
  }
  console.log('');
  console.log("Scheduled reconcile (RealmSweep, reconcileByRange): each realm's tenants through its relay, 512 buckets a writer call,");
  console.log('the 5 realms one after another, one writer; first into an empty store, then after 1% of each realm were uninstalled');
  console.log("with their remove lost. Per call: the most one writer call read (GetKey), wrote (UpdateKeys) and took (the writer's timeout is 6 s).");
  console.log('');
  console.log('| tenants | sweep | writer calls | max reads/call | max UpdateKeys/call | max call ms | reads | UpdateKeys | removed | seconds |');
  console.log('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const perRealm of [1000, 10_000]) {
    const r = await reconcileSweep(perRealm, 20);
    for (const [name, f] of [['full', r.full], ['1% stale', r.stale]] as const) {
      console.log(
        `| ${r.tenants.toLocaleString('en')} | ${name} | ${f.calls} | ${f.maxCallReads} | ${f.maxCallUpdates} | ${f.maxCallMs.toFixed(0)} | ${f.reads.toLocaleString('en')} | ${f.updates} | ${f.removed} | ${f.seconds.toFixed(2)} |`,
      );
      // Each call's work is bounded by its range (512 reads, plus the re-reads of at most 11 batches of 50), not by the realm.
      if (f.maxCallReads > 2 * 512 || f.maxCallUpdates > 11 || f.maxCallMs > 4500) process.exitCode = 1;
    }
    if (r.stale.removed !== REALMS_COUNT * Math.ceil(perRealm / 100)) process.exitCode = 1;
  }
}

const REALMS_COUNT = 5;

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
