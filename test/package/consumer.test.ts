import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const NODE_MODULES = join(ROOT, 'node_modules');

function run(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 300_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

// Build the package as `npm run build` does, lay it out as an installed dependency,
// and use it from a separate CDK app, in JavaScript and in TypeScript.
describe('cdk-residency as a construct library', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'residency-pkg-'));
  const pkg = join(tmp, 'cdk-residency');
  const consumer = join(tmp, 'consumer');
  let build: { status: number | null; out: string };

  beforeAll(() => {
    build = run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', join(pkg, 'dist')], ROOT);
    copyFileSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
    symlinkSync(NODE_MODULES, join(pkg, 'node_modules'));
    mkdirSync(join(consumer, 'node_modules'), { recursive: true });
    symlinkSync(pkg, join(consumer, 'node_modules', 'cdk-residency'));
    for (const dep of ['aws-cdk-lib', 'constructs', '@types']) symlinkSync(join(NODE_MODULES, dep), join(consumer, 'node_modules', dep));
  });

  it('builds JavaScript and type declarations into dist/', () => {
    expect(build).toEqual({ status: 0, out: '' });
    expect(readFileSync(join(pkg, 'dist', 'lib', 'index.d.ts'), 'utf8')).toContain("export * from '../constructs/tenant-store'");
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

  it('runs the README library example as written', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const example = /```ts\n([\s\S]*?)```/.exec(readme)![1]!;
    writeFileSync(join(consumer, 'readme-example.ts'), example);
    writeFileSync(
      join(consumer, 'tsconfig.readme.json'),
      JSON.stringify({ compilerOptions: { strict: true, outDir: 'readme-out', module: 'node16', moduleResolution: 'node16', target: 'ES2022', types: ['node'], skipLibCheck: true }, files: ['readme-example.ts'] }),
    );
    expect(run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.readme.json'], consumer)).toEqual({ status: 0, out: '' });
    const r = spawnSync(process.execPath, [join(consumer, 'readme-out', 'readme-example.js')], {
      cwd: consumer, encoding: 'utf8', env: { ...process.env, CDK_OUTDIR: join(consumer, 'readme-cdk.out') },
    });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  });

  it('type-checks a TypeScript consumer against the published declarations', () => {
    writeFileSync(
      join(consumer, 'app.ts'),
      `
import { App } from 'aws-cdk-lib';
import { RealmStack, RealmName, applyCompliance } from 'cdk-residency';
const app = new App();
const realms: RealmName[] = ['DE'];
const stack: RealmStack = new RealmStack(app, 'De', { env: { region: 'eu-central-1' }, appKey: 'com.acme.mine', realms });
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
