/**
 * The hashed tenant directory at 250,000 tenants: builds the CloudFront KeyValueStore
 * import file for random tenant ids (half Connect clientKeys, half Forge installation
 * ids, spread over every realm) under a fresh random directory key, and prints its size
 * against the 5 MB KVS limit, its collisions (must be 0) and the build time. The same
 * figures for 350,000 tenants show the headroom. Exits non-zero when a limit is missed.
 * Usage: npm run bench:directory
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { DIRECTORY_LAYOUT, KVS_MAX_BYTES, REALM_CODES, buildDirectoryImage } from '../runtime/directory';

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

function main(): void {
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
}

try {
  main();
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
}
