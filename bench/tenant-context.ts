/**
 * Cost of the tenant context per warm request, and STS calls per 1,000 warm requests over 100
 * tenants (target 0): tenants installed on dynalite, then `tenantContextOf` + one item read on
 * tenant sessions (`sessionTenantStores`, a counting STS stand-in) against a bare handler that
 * reads the same item on the function's client. Two tenant-context rows: a Connect request,
 * whose authenticator read the live record to verify the token (`liveSite`, as the Connect
 * authorizer passes it), and a request without one (Forge), where the context reads the record. Then the app bundle size for the example and
 * a generated 50-route app, bundled with the app function's ESBUILD_OPTIONS.
 * Usage: npm run bench:tenant-context
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STSClient } from '@aws-sdk/client-sts';
import { build } from 'esbuild';
import { tenantContextOf } from '../runtime/app/tenant-context';
import { KmsKeySource } from '../runtime/crypto';
import { DynamoTenantStore, TenantSessions, sessionTenantStores } from '../runtime/tenants';
import { startLocalTable } from '../dev/local-table';
import { randomBytes } from 'node:crypto';
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { ESBUILD_OPTIONS } from '../constructs/app-function/bundling';
import { RUNTIME_SPECIFIER, writeAppHandlerEntry } from '../constructs/app-entry/app-handler-entry';
import { DEFAULT_APP_ENTRY, RUNTIME_SOURCE } from '../constructs/app-entry/default-app-entry';

const TENANTS = 100;
const REQUESTS = 1000;
const KEY_ARN = 'arn:aws:kms:eu-central-1:111111111111:key/bench';

async function contextCost(): Promise<void> {
  const table = await startLocalTable();
  // A stand-in for KMS on every KMSClient (the sessions make their own): the wrapped key carries its plaintext.
  const kms = mockClient(KMSClient);
  kms.on(GenerateDataKeyCommand).callsFake(() => {
    const plaintext = new Uint8Array(randomBytes(32));
    return { Plaintext: plaintext, CiphertextBlob: new Uint8Array([...plaintext, ...randomBytes(16)]) };
  });
  kms.on(DecryptCommand).callsFake((input: { CiphertextBlob: Uint8Array }) => ({ Plaintext: input.CiphertextBlob.slice(0, 32) }));
  const props = { tableName: table.tableName, app: 'com.example.bench', realm: 'EU' };
  const installer = new DynamoTenantStore({ ...props, client: table.client, keySource: new KmsKeySource({ keyId: KEY_ARN, client: new KMSClient({ region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }) }) });
  try {
    const ids = Array.from({ length: TENANTS }, (_, i) => `bench-${i}`);
    for (const id of ids) {
      await installer.install({ clientKey: id, sharedSecret: 'x'.repeat(32), baseUrl: `https://${id}.atlassian.net`, productType: 'jira' });
      await installer.dataFor(id).put('profile', { plan: 'standard' });
    }
    // A counting STS stand-in: what AssumeRole answers, and how often it is asked.
    let stsCalls = 0;
    const sts = { send: async () => (stsCalls++, { Credentials: { AccessKeyId: 'local', SecretAccessKey: 'local', SessionToken: `t${stsCalls}`, Expiration: new Date(Date.now() + 3600_000) } }) } as unknown as STSClient;
    const sessions = new TenantSessions({ roleArn: 'arn:aws:iam::111111111111:role/tenant-access', sts, region: 'us-east-1', endpoint: table.endpoint });
    const { store, storesFor } = sessionTenantStores({ sessions, tableName: table.tableName, keyArn: KEY_ARN, appKey: props.app, realm: props.realm, shredAfterDays: 30 });
    const log = () => undefined;
    const withContext = (liveSite: boolean) => async (id: string) => {
      const auth = liveSite ? { clientKey: id, liveSite: `https://${id}.atlassian.net` } : { clientKey: id };
      const tenant = await tenantContextOf({ realm: 'EU', store, storesFor, log }, auth, 'GET /bench');
      if (!(await tenant.data.get('profile'))) throw new Error(`no profile for ${id}`);
    };
    const bare = installer;
    const bareHandler = async (id: string) => {
      if (!(await bare.dataFor(id).get('profile'))) throw new Error(`no profile for ${id}`);
    };
    const time = async (run: (id: string) => Promise<void>) => {
      const samples: number[] = [];
      for (let i = 0; i < REQUESTS; i++) {
        const t = process.hrtime.bigint();
        await run(ids[(i * 37) % TENANTS]!);
        samples.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
      samples.sort((a, b) => a - b);
      return { p50: samples[REQUESTS / 2]!, p99: samples[Math.floor(REQUESTS * 0.99)]! };
    };
    for (const id of ids) await withContext(false)(id); // warm: one session per tenant
    const coldSts = stsCalls;
    await time(bareHandler);
    stsCalls = 0;
    // Interleaved rounds, so the machine's drift falls on every row alike.
    const rounds = { bare: [] as Array<{ p50: number; p99: number }>, connect: [] as Array<{ p50: number; p99: number }>, record: [] as Array<{ p50: number; p99: number }> };
    for (let round = 0; round < 3; round++) {
      rounds.bare.push(await time(bareHandler));
      rounds.connect.push(await time(withContext(true)));
      rounds.record.push(await time(withContext(false)));
    }
    const median = (xs: Array<{ p50: number; p99: number }>) => ({ p50: xs.map((x) => x.p50).sort((a, b) => a - b)[1]!, p99: xs.map((x) => x.p99).sort((a, b) => a - b)[1]! });
    const b = median(rounds.bare);
    const c = median(rounds.connect);
    const r = median(rounds.record);
    console.log(`Tenant context, ${TENANTS} tenants on dynalite, node ${process.version}`);
    console.log('');
    console.log('| handler | p50 ms | p99 ms |');
    console.log('|---|---:|---:|');
    console.log(`| bare (one item read, function client) | ${b.p50.toFixed(3)} | ${b.p99.toFixed(3)} |`);
    console.log(`| Connect: tenant context on a session, record read by the authenticator (one item read) | ${c.p50.toFixed(3)} | ${c.p99.toFixed(3)} |`);
    console.log(`| Forge: tenant context on a session reading the record (record + one item read) | ${r.p50.toFixed(3)} | ${r.p99.toFixed(3)} |`);
    console.log(`| added p50, Connect (target < 1 ms) | ${(c.p50 - b.p50).toFixed(3)} | |`);
    console.log(`| added p50, Forge | ${(r.p50 - b.p50).toFixed(3)} | |`);
    console.log('(median of 3 interleaved rounds of each row)');
    console.log('');
    console.log(`STS AssumeRole calls: ${coldSts} to warm ${TENANTS} tenants; ${stsCalls} per ${REQUESTS} warm requests (target 0).`);
    if (stsCalls !== 0) process.exitCode = 1;
  } finally {
    kms.restore();
    await table.close();
  }
}

async function bundleSizes(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tenant-context-bench-'));
  const routes = Array.from({ length: 50 }, (_, i) => `    { method: 'GET', path: '/r${i}/:id', auth: 'connect', handler: async (req: any, tenant: any) => ({ status: 200, body: { i: ${i}, item: await tenant.data.get(req.params.id) } }) },`);
  const fixture = join(dir, 'app-50.ts');
  writeFileSync(fixture, `import { defineApp } from ${JSON.stringify(RUNTIME_SPECIFIER)};\nexport default defineApp({\n  routes: [\n${routes.join('\n')}\n  ],\n});\n`);
  // The app function's own generated entry, bundled with its runtime alias, as synthesis does.
  const entryOf = (app: string) => writeAppHandlerEntry(app === 'example' ? DEFAULT_APP_ENTRY : app);
  console.log('');
  console.log('| app bundle (ESBUILD_OPTIONS, minified) | bytes |');
  console.log('|---|---:|');
  for (const [name, app] of [['example (notes, the app handler)', 'example'], ['fixture with 50 routes', fixture]] as const) {
    const out = await build({ ...ESBUILD_OPTIONS, entryPoints: [entryOf(app)], alias: { [RUNTIME_SPECIFIER]: RUNTIME_SOURCE }, bundle: true, write: false, platform: 'node', outfile: join(dir, 'out.js'), logLevel: 'silent' } as never);
    console.log(`| ${name} | ${out.outputFiles[0]!.contents.byteLength.toLocaleString('en')} |`);
  }
}

contextCost()
  .then(bundleSizes)
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
