import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import { type InstalledPackage, ROOT, consumerDir, installedPackage, run } from '../helpers/installed-package';

/** The first TypeScript block of the README section that starts with `heading`. */
function readmeExample(heading: string): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(`\n${heading}`);
  if (start < 0) throw new Error(`README has no section ${heading}`);
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(start));
  if (!block) throw new Error(`README section ${heading} has no ts block`);
  return block[1]!;
}

// Pack the package in a clean clone (prepack builds dist/), install the tarball into a fresh
// folder, and use it from a separate CDK app, in JavaScript and in TypeScript.
describe('cdk-residency as a construct library', () => {
  let installed: InstalledPackage;
  let consumer: string;

  beforeAll(async () => {
    installed = await installedPackage();
    consumer = consumerDir(installed, 'library-consumer');
  }, 600_000);

  it('packs the built entry points and the shipped sources, and no test, bench or dev files', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string; types: string; exports: Record<string, string | Record<string, string>> };
    const entryPoints = [manifest.main, manifest.types, ...Object.values(manifest.exports).flatMap((e) => (typeof e === 'string' ? [e] : Object.values(e)))];
    for (const entry of entryPoints) expect(installed.files).toContain(entry.replace(/^\.\//, ''));
    // What a consumer needs: the build, the sources NodejsFunction bundles, the example config.
    const unexpected = installed.files.filter((f) => !/^(dist|runtime|constructs|examples)\//.test(f) && !['package.json', 'README.md', 'residency.config.json'].includes(f));
    expect(unexpected).toEqual([]);
    expect(installed.files.filter((f) => /(^|\/)(test|tests|__tests__|bench|dev|bin|cdk\.out)\/|\.test\.|\.spec\./.test(f))).toEqual([]);
    // No source maps: the build's would name TypeScript sources the tarball does not hold.
    expect(installed.files.filter((f) => f.endsWith('.map'))).toEqual([]);
  });

  it('can be required from plain CommonJS, both entry points', () => {
    const r = run(process.execPath, ['-e', "const lib = require('cdk-residency'); const rt = require('cdk-residency/runtime'); console.log(typeof lib.RealmStack, typeof rt.verifyConnectJwt)"], consumer);
    expect(r).toEqual({ status: 0, out: 'function function\n' });
  });

  it('lets another app compose realm pieces in its own stack, with grants and the packs', () => {
    writeFileSync(
      join(consumer, 'app.js'),
      `
const { App, Stack } = require('aws-cdk-lib');
const iam = require('aws-cdk-lib/aws-iam');
const { RealmKey, TenantStore, AppSecrets, applyCompliance, loadConfig, isInJurisdiction } = require('cdk-residency');
const app = new App({ outdir: ${JSON.stringify(join(consumer, 'cdk.out'))} });
const stack = new Stack(app, 'Mine', { env: { region: 'eu-central-1' } });
const key = new RealmKey(stack, 'Key', { appKey: 'com.acme.mine', realms: ['EU'] });
const store = new TenantStore(stack, 'Tenants', { encryptionKey: key.key });
const secrets = new AppSecrets(stack, 'Secrets', { appKey: 'com.acme.mine', realm: 'EU', encryptionKey: key.key, secrets: [{ name: 'api-token', description: 'Issued by the partner portal' }] });
const role = new iam.Role(stack, 'Worker', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
store.grantReadWriteData(role);
secrets.grantRead(role, 'api-token');
const template = app.synth().getStackByName('Mine').template;
const types = Object.values(template.Resources).map((r) => r.Type);
console.log(JSON.stringify({ types, eu: isInJurisdiction('EU', 'eu-west-2'), example: typeof loadConfig, applyCompliance: typeof applyCompliance }));
`,
    );
    const r = run(process.execPath, ['app.js'], consumer);
    expect(r.status).toBe(0);
    const result = JSON.parse(r.out.trim().split('\n').pop()!);
    expect(result.types).toEqual(expect.arrayContaining(['AWS::KMS::Key', 'AWS::DynamoDB::Table', 'AWS::SecretsManager::Secret', 'AWS::IAM::Policy']));
    expect(result).toMatchObject({ eu: false, example: 'function', applyCompliance: 'function' });
  });

  it('lets Lambda code use cdk-residency/runtime from JavaScript', () => {
    writeFileSync(
      join(consumer, 'lambda.js'),
      `
const { verifyConnectJwt, computeQsh, AuthError, SECURITY_HEADERS } = require('cdk-residency/runtime');
const { encodeSymmetric } = require('atlassian-jwt');
const now = Math.floor(Date.now() / 1000);
const secret = 'a-shared-secret-of-enough-length-0123456789';
const token = encodeSymmetric({ iss: 'tenant-1', iat: now, exp: now + 60, qsh: computeQsh('GET', '/x?a=1') }, secret);
verifyConnectJwt(token, { method: 'GET', url: '/x?a=1' }, { secretFor: async () => secret })
  .then((claims) => verifyConnectJwt(token, { method: 'GET', url: '/x?a=2' }, { secretFor: async () => secret }).then(
    () => console.log('accepted a token for another query'),
    (e) => console.log(JSON.stringify({ iss: claims.iss, refused: e instanceof AuthError, status: e.status, hsts: SECURITY_HEADERS['Strict-Transport-Security'] })),
  ));
`,
    );
    const r = run(process.execPath, ['lambda.js'], consumer);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.out.trim().split('\n').pop()!)).toEqual({ iss: 'tenant-1', refused: true, status: 401, hsts: expect.stringMatching(/^max-age=\d+; includeSubDomains$/) });
  });

  it('runs the README library example as written', () => {
    writeFileSync(join(consumer, 'readme-example.ts'), readmeExample('## Use as a construct library'));
    writeFileSync(
      join(consumer, 'tsconfig.readme.json'),
      JSON.stringify({ compilerOptions: { strict: true, outDir: 'readme-out', module: 'node16', moduleResolution: 'node16', target: 'ES2022', types: ['node'], skipLibCheck: true }, files: ['readme-example.ts'] }),
    );
    expect(run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.readme.json'], consumer)).toEqual({ status: 0, out: '' });
    const r = spawnSync(process.execPath, [join(consumer, 'readme-out', 'readme-example.js')], {
      cwd: consumer, encoding: 'utf8', env: { ...process.env, CDK_OUTDIR: join(consumer, 'readme-cdk.out') },
    });
    // Short lines only: a bundling failure also prints a minified line of aws-cdk-lib's source.
    const short = r.stderr.split('\n').filter((l) => l.length < 2000);
    expect({ status: r.status, problems: short.filter((l) => /error|fail|violation/i.test(l)), tail: r.status === 0 ? [] : short.slice(-25) }).toEqual({ status: 0, problems: [], tail: [] });
    // The functions (app, the Connect and install authorizers, the Atlassian egress function, the sweep) were bundled from the
    // package's shipped sources, SDK included: five bundles, each requiring Node built-ins only.
    const out = join(consumer, 'readme-cdk.out');
    // Our functions (described `cdk-residency: ...`), not aws-cdk-lib's prebuilt custom-resource handlers.
    const bundles = readdirSync(out)
      .filter((f) => f.endsWith('.template.json'))
      .flatMap((f) => Object.values<any>(JSON.parse(readFileSync(join(out, f), 'utf8')).Resources))
      .filter((r) => r.Type === 'AWS::Lambda::Function' && String(r.Properties.Description ?? '').startsWith('cdk-residency:'))
      .map((r) => `asset.${String(r.Properties.Code.S3Key).replace(/\.zip$/, '')}`);
    expect(new Set(bundles).size).toBe(5);
    for (const dir of bundles) {
      // Calls only: the SDK's error text "[require(\"@aws-sdk/signature-v4-crt\");]" quotes one inside a string.
      const required = [...readFileSync(join(out, dir, 'index.js'), 'utf8').matchAll(/(?<![\w.$[])require\("([^"]+)"\)/g)].map((m) => m[1]!);
      expect({ dir, outside: required.filter((name) => !isBuiltin(name)) }).toEqual({ dir, outside: [] });
    }
  });

  it('runs the README runtime example as written', () => {
    writeFileSync(join(consumer, 'runtime-example.ts'), readmeExample('## The Connect runtime'));
    writeFileSync(
      join(consumer, 'tsconfig.runtime.json'),
      JSON.stringify({ compilerOptions: { strict: true, outDir: 'runtime-out', module: 'node16', moduleResolution: 'node16', target: 'ES2022', types: ['node'], skipLibCheck: true }, files: ['runtime-example.ts'] }),
    );
    expect(run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.runtime.json'], consumer)).toEqual({ status: 0, out: '' });
    const r = run(process.execPath, [join(consumer, 'runtime-out', 'runtime-example.js')], consumer);
    expect(r).toEqual({ status: 0, out: expect.stringMatching(/^[0-9a-f]{64}\n$/) });
  });

  it('defines the README "Bring your app" app as written, with its routes behind the toolkit\'s own', () => {
    writeFileSync(join(consumer, 'vendor-app.ts'), readmeExample('## Bring your app'));
    writeFileSync(
      join(consumer, 'check-app.ts'),
      `import app from './vendor-app';
import { isResidentApp, routeSpecs } from 'cdk-residency/runtime';
if (!isResidentApp(app)) throw new Error('not a ResidentApp');
console.log(JSON.stringify(routeSpecs(app).map((r) => \`\${r.method} \${r.path} \${r.auth}\`)));
`,
    );
    writeFileSync(
      join(consumer, 'tsconfig.app.json'),
      JSON.stringify({ compilerOptions: { strict: true, outDir: 'app-out', module: 'node16', moduleResolution: 'node16', target: 'ES2022', types: ['node'], skipLibCheck: true }, files: ['check-app.ts'] }),
    );
    expect(run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.app.json'], consumer)).toEqual({ status: 0, out: '' });
    const r = run(process.execPath, [join(consumer, 'app-out', 'check-app.js')], consumer);
    expect(r.status).toBe(0);
    const routes: string[] = JSON.parse(r.out);
    expect(routes).toEqual(expect.arrayContaining(['POST /lifecycle/installed install', 'GET /pages/todo connect', 'PUT /api/todos/:id context']));
    expect(routes.indexOf('GET /pages/todo connect')).toBeGreaterThan(routes.indexOf('POST /lifecycle/installed install'));
  });

  it('type-checks a TypeScript consumer against the published declarations', () => {
    writeFileSync(
      join(consumer, 'app.ts'),
      `
import { App } from 'aws-cdk-lib';
import { RealmStack, RealmName, applyCompliance } from 'cdk-residency';
const app = new App();
const realms: RealmName[] = ['DE'];
const stack: RealmStack = new RealmStack(app, 'De', {
  env: { region: 'eu-central-1' }, appKey: 'com.acme.mine', realms,
  hostnames: ['de.app.acme.com'], hostedZone: { id: 'Z0123456789ABCDEFGHIJ', name: 'acme.com' },
  baseUrls: ['https://app.acme.com', 'https://de.app.acme.com'],
});
stack.tenantStore.grantReadData(stack.realmBackup.role);
applyCompliance(app);
`,
    );
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: 'node16', moduleResolution: 'node16', target: 'ES2022', types: ['node'], skipLibCheck: true }, files: ['app.ts'] }),
    );
    const r = run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], consumer);
    expect(r).toEqual({ status: 0, out: '' });
  });
});
