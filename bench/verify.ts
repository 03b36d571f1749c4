/**
 * Median time to verify one Connect request (JWT signature + qsh) with cdk-residency's
 * verifyConnectJwt, beside atlassian-jwt's decodeSymmetric + createQueryStringHash, over
 * the same 1,000 tokens (100 tenants, varied paths and queries), in the same process,
 * rounds interleaved. Target: ours at least 3x faster. Usage: npm run bench:verify [-- --rounds N]
 */
import { createQueryStringHash, decodeSymmetric, encodeSymmetric, fromMethodAndUrl, SymmetricAlgorithm } from 'atlassian-jwt';
import { cpus } from 'node:os';
import { verifyConnectJwt } from '../runtime/connect-auth';

const roundsArg = process.argv.indexOf('--rounds');
const ROUNDS = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 15;
const REQUESTS = 1000;
const TENANTS = 100;
const NOW_MS = 1_750_000_000_000;
const now = () => NOW_MS;

const secrets = new Map<string, string>();
for (let t = 0; t < TENANTS; t++) secrets.set(`tenant-${t}-${(t * 2654435761) % 1e9}`, `secret-${t}-${'s'.repeat(24)}-${t * 7919}`);
const tenants = [...secrets.keys()];

const PATHS = ['/issue-panel', '/macro/render', '/admin/config', '/rest/notes', '/webhook/issue-updated', '/dialog/edit item'];
interface Case { tenant: string; token: string; method: string; url: string }

function makeCase(i: number): Case {
  const tenant = tenants[i % TENANTS]!;
  const method = i % 4 === 0 ? 'POST' : 'GET';
  const path = `${PATHS[i % PATHS.length]!.replace(' ', '%20')}/${i}`;
  const query = [
    `xdm_e=${encodeURIComponent(`https://site-${i % TENANTS}.atlassian.net`)}`,
    'xdm_c=channel-' + i,
    'cp=%2Fwiki',
    `lic=${i % 3 === 0 ? 'active' : 'none'}`,
    'cv=1001.0.0-SNAPSHOT',
    `issueKey=PRJ-${i}`,
    ...(i % 5 === 0 ? [`q=${encodeURIComponent(`summary ~ "fix* (é)" & due`)}`, 'tag=b', 'tag=a'] : []),
  ].join('&');
  const url = `${path}?${query}`;
  const qsh = createQueryStringHash(fromMethodAndUrl(method, url), false);
  const iat = NOW_MS / 1000 - (i % 60);
  const token = encodeSymmetric({ iss: tenant, sub: `account-${i}`, iat, exp: iat + 180, qsh }, secrets.get(tenant)!, SymmetricAlgorithm.HS256);
  // Half carry the token in the query (it is then part of the URL qsh is computed over), half in a header.
  return { tenant, token, method, url: i % 2 === 0 ? `${url}&jwt=${token}` : url };
}

const cases = Array.from({ length: REQUESTS }, (_, i) => makeCase(i));
const options = { secretFor: async (clientKey: string) => secrets.get(clientKey), now };

async function ours(): Promise<number> {
  let accepted = 0;
  for (const c of cases) if ((await verifyConnectJwt(c.token, { method: c.method, url: c.url }, options)).iss === c.tenant) accepted++;
  return accepted;
}

function reference(): number {
  let accepted = 0;
  for (const c of cases) {
    const claims = decodeSymmetric(c.token, secrets.get(c.tenant)!, SymmetricAlgorithm.HS256);
    if (createQueryStringHash(fromMethodAndUrl(c.method, c.url), false) === claims.qsh) accepted++;
  }
  return accepted;
}

async function microsPerVerification(run: () => number | Promise<number>): Promise<number> {
  const start = process.hrtime.bigint();
  const accepted = await run();
  const micros = Number(process.hrtime.bigint() - start) / 1e3 / REQUESTS;
  if (accepted !== REQUESTS) throw new Error(`only ${accepted} of ${REQUESTS} tokens verified`);
  return micros;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await microsPerVerification(ours);
    await microsPerVerification(reference);
  }
  const [oursTimes, referenceTimes]: [number[], number[]] = [[], []];
  for (let round = 0; round < ROUNDS; round++) {
    // Interleaved, so drift on the machine hits both sides alike.
    oursTimes.push(await microsPerVerification(ours));
    referenceTimes.push(await microsPerVerification(reference));
  }
  const [o, r] = [median(oursTimes), median(referenceTimes)];
  // The speed-up is the median of the per-round ratios: each round times both sides back to
  // back, so a slow spell on a shared machine slows both and cancels out of that round's ratio.
  const ratios = oursTimes.map((t, i) => referenceTimes[i]! / t);
  const ratio = median(ratios);
  console.log(`Connect JWT verification, ${REQUESTS} tokens from ${TENANTS} tenants, median of ${ROUNDS} rounds; node ${process.version}, ${cpus().length} cores\n`);
  console.log('| verifier | median µs/verification | rounds (µs) |');
  console.log('|---|---:|---|');
  console.log(`| cdk-residency verifyConnectJwt | ${o.toFixed(2)} | ${oursTimes.map((t) => t.toFixed(1)).join(', ')} |`);
  console.log(`| atlassian-jwt decodeSymmetric + qsh | ${r.toFixed(2)} | ${referenceTimes.map((t) => t.toFixed(1)).join(', ')} |`);
  console.log(`\nspeed-up per round: ${ratios.map((x) => x.toFixed(2)).join(', ')}`);
  console.log(`speed-up (median of the rounds): ${ratio.toFixed(2)}x (target >= 3x: ${ratio >= 3 ? 'met' : 'NOT met'})`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
