/**
 * KMS calls per 1,000 authenticated requests once a function is warm (target: 0), and the
 * cold-start count for reference. 100 tenants are installed through DynamoTenantStore on a
 * local DynamoDB (dynalite) with a counting fake KMS; a fresh store (a new function
 * instance) then serves one request per tenant to warm up, then 1,000 requests spread over
 * the tenants. A request = verifyConnectJwt on an atlassian-jwt token + one data read.
 * Usage: npm run bench:kms
 */
import { createQueryStringHash, encodeSymmetric, fromMethodAndUrl } from 'atlassian-jwt';
import { verifyConnectJwt } from '../runtime/connect-auth';
import { KmsKeySource } from '../runtime/crypto';
import { DynamoTenantStore } from '../runtime/tenants';
import { startLocalTable as startTenantTable } from '../dev/local-table';
import { FakeKms } from '../test/helpers/fake-kms';

const TENANTS = 100;
const REQUESTS = 1000;
const KEY_ARN = 'arn:aws:kms:eu-central-1:111111111111:key/bench';

async function main(): Promise<void> {
  const table = await startTenantTable();
  const kms = new FakeKms();
  // Counts every DynamoDB call: the price of reading the truth (record, key) on each request.
  let dynamoCalls = 0;
  table.client.middlewareStack.add((next) => async (args) => (dynamoCalls++, next(args)), { step: 'initialize', name: 'countCalls' });
  const storeFor = () =>
    new DynamoTenantStore({
      client: table.client,
      tableName: table.tableName,
      keySource: new KmsKeySource({ keyId: KEY_ARN, client: kms.client }),
      app: 'com.example.bench',
      realm: 'EU',
    });
  try {
    const tenants = Array.from({ length: TENANTS }, (_, i) => ({ clientKey: `bench-${i}`, sharedSecret: `secret-${i}-${'x'.repeat(32)}` }));
    const installer = storeFor();
    for (const t of tenants) {
      await installer.install({ ...t, baseUrl: `https://bench-${t.clientKey}.atlassian.net`, productType: 'jira' });
      await installer.dataFor(t.clientKey).put('profile', { plan: 'standard' });
    }
    const installCalls = kms.total;

    // A new function instance: its caches are empty.
    const store = storeFor();
    const request = async (i: number) => {
      const t = tenants[i % TENANTS]!;
      const method = 'GET';
      const url = `/issue-panel?issueKey=BENCH-${i}`;
      const now = Math.floor(Date.now() / 1000);
      const token = encodeSymmetric({ iss: t.clientKey, iat: now, exp: now + 180, qsh: createQueryStringHash(fromMethodAndUrl(method, url)) }, t.sharedSecret);
      const claims = await verifyConnectJwt(token, { method, url }, { secretFor: (k) => store.sharedSecret(k) });
      if ((await store.dataFor(claims.iss).get('profile')) === undefined) throw new Error(`no profile for ${claims.iss}`);
    };

    kms.resetCounts();
    for (let i = 0; i < TENANTS; i++) await request(i);
    const coldCalls = kms.total;

    kms.resetCounts();
    dynamoCalls = 0;
    const start = process.hrtime.bigint();
    for (let i = 0; i < REQUESTS; i++) await request((i * 37) % TENANTS);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const warmCalls = kms.total;
    const warmDynamo = dynamoCalls;

    console.log(`KMS calls, ${TENANTS} tenants, DynamoTenantStore on dynalite with a counting fake KMS; node ${process.version}`);
    console.log('');
    console.log('| phase | requests | KMS calls | per 1,000 requests |');
    console.log('|---|---:|---:|---:|');
    console.log(`| install (GenerateDataKey) | ${TENANTS} installs | ${installCalls} | - |`);
    console.log(`| cold start (first request per tenant) | ${TENANTS} | ${coldCalls} | ${((coldCalls / TENANTS) * 1000).toFixed(0)} |`);
    console.log(`| warm (target 0) | ${REQUESTS} | ${warmCalls} | ${((warmCalls / REQUESTS) * 1000).toFixed(0)} |`);
    console.log('');
    console.log(`Warm phase: ${(ms / REQUESTS).toFixed(2)} ms per request (JWT verify + one data read against dynalite), ${(warmDynamo / REQUESTS).toFixed(1)} DynamoDB calls per request (consistent reads).`);
    if (warmCalls !== 0) process.exitCode = 1;
  } finally {
    await table.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
