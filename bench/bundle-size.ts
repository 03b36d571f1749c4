/**
 * Size and cold load of each Lambda bundle as deployed (ESBUILD_OPTIONS: the AWS SDK bundled
 * from its ES modules), beside two other choices: the SDK bundled from its CommonJS files
 * (esbuild's default main fields), and `@aws-sdk/*` external, then resolved from this project's
 * node_modules through NODE_PATH as the Lambda runtime would resolve its own copy. Cold load is
 * the median time of `require` of the bundle in a fresh `node` process, cwd in an empty temp dir,
 * every setting of the functions set. Prints a markdown table. Usage: npm run bench:bundle [-- --runs N]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { DEFAULT_APP_ENTRY, RUNTIME_SOURCE, RUNTIME_SPECIFIER, writeAppHandlerEntry } from '../constructs/app-entry';
import { ESBUILD_OPTIONS } from '../constructs/app-function';
import { EGRESS_HANDLER } from '../constructs/atlassian-egress';
import { MIGRATION_HANDLER } from '../constructs/realm-migration';
import { DEFAULT_HANDLERS } from '../constructs/secure-api';
import { DIRECTORY_HANDLERS } from '../constructs/tenant-directory';
import { ENV } from '../runtime/lambda/environment';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 15;
// Each choice as what it changes in ESBUILD_OPTIONS.
const CHOICES = {
  deployed: {},
  'SDK bundled, CommonJS': { mainFields: ['main', 'module'] },
  'SDK external': { external: ['@aws-sdk/*'] },
} satisfies Record<string, { mainFields?: string[]; external?: string[] }>;
const PROJECT_MODULES = join(__dirname, '..', 'node_modules');
// Every function the stacks deploy, by its entry file.
const ENTRIES: Record<string, string> = {
  app: writeAppHandlerEntry(DEFAULT_APP_ENTRY),
  'connect-authorizer': DEFAULT_HANDLERS.connectAuthorizer,
  'install-authorizer': DEFAULT_HANDLERS.installAuthorizer,
  'forge-authorizer': DEFAULT_HANDLERS.forgeAuthorizer,
  'directory-relay': DIRECTORY_HANDLERS.relay,
  'directory-writer': DIRECTORY_HANDLERS.writer,
  migration: MIGRATION_HANDLER,
  'Atlassian egress': EGRESS_HANDLER,
};
// Well-formed settings for every function, so each cold load runs its handler's whole top level.
const SETTINGS: Record<keyof typeof ENV, string> = {
  appKey: 'com.example.app',
  realm: 'EU',
  baseUrls: '["https://eu.app.example.com"]',
  baseUrl: 'https://eu.app.example.com',
  realmHosts: '{"eu.app.example.com":"EU","de.app.example.com":"DE"}',
  tableName: 'tenants',
  keyArn: 'arn:aws:kms:eu-central-1:123456789012:key/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
  secretPrefix: 'com.example.app/EU/',
  shredAfterDays: '30',
  migrationRealms: JSON.stringify({ EU: { region: 'eu-central-1', stackRealm: 'EU', tableName: 'tenants', keyArn: 'arn:aws:kms:eu-central-1:123456789012:key/0a1b2c3d-4e5f-6789-abcd-ef0123456789' } }),
  migrationMaxConcurrent: '4',
  directoryFunction: 'relay',
  migrationFunction: 'migration',
  directoryRealms: '["EU"]',
  directoryKvsArn: 'arn:aws:cloudfront::123456789012:key-value-store/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
  directoryKeySecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:directory-key-AbCdEf',
  forgeAppId: 'ari:cloud:ecosystem::app/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  routes: '[{"method":"GET","path":"/api/notes","auth":"context"}]',
  tenantRoleArn: 'arn:aws:iam::123456789012:role/tenant-access',
  bucketName: 'data-bucket',
  egressFunction: 'egress',
  egressHosts: '["*.atlassian.net","*.jira.com","api.atlassian.com"]',
};
const ENVIRONMENT = Object.fromEntries(Object.entries(SETTINGS).map(([key, value]) => [ENV[key as keyof typeof ENV], value]));
const LOAD = 'const t = process.hrtime.bigint(); require(process.argv[1]); process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));';
const work = mkdtempSync(join(tmpdir(), 'bundle-bench-'));

interface Measured {
  readonly kb: number;
  readonly loadMs: number;
}

async function measure(name: string, entry: string, choice: keyof typeof CHOICES): Promise<Measured> {
  const dir = mkdtempSync(join(work, `${name}-`));
  const options = { ...ESBUILD_OPTIONS, ...CHOICES[choice] };
  // As the app function is bundled: `cdk-residency/runtime` is the package's runtime sources.
  const out = await build({ ...options, alias: { [RUNTIME_SPECIFIER]: RUNTIME_SOURCE }, entryPoints: [entry], write: false, logLevel: 'silent' });
  const file = join(dir, 'index.js');
  writeFileSync(file, out.outputFiles[0]!.contents);
  const env = { PATH: process.env.PATH, AWS_REGION: 'eu-central-1', ...ENVIRONMENT, NODE_PATH: options.external.length ? PROJECT_MODULES : '' };
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const run = spawnSync(process.execPath, ['-e', LOAD, file], { cwd: dir, env, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`${name} (${choice}) failed to load: ${run.stderr}`);
    times.push(Number(run.stdout));
  }
  times.sort((a, b) => a - b);
  return { kb: out.outputFiles[0]!.contents.byteLength / 1024, loadMs: times[Math.floor(RUNS / 2)]! };
}

async function main(): Promise<void> {
  const policy = ESBUILD_OPTIONS.external.length ? `${ESBUILD_OPTIONS.external.join(', ')} external` : 'nothing external';
  console.log(`Lambda bundles (esbuild, ${ESBUILD_OPTIONS.target}, minified; deployed: ${policy}); cold load = median of ${RUNS} fresh-process requires; node ${process.version}\n`);
  const choices = Object.keys(CHOICES) as (keyof typeof CHOICES)[];
  console.log(`| function | ${choices.map((c) => `${c}: size | cold load`).join(' | ')} |`);
  console.log(`|---|${choices.map(() => '---:|---:').join('|')}|`);
  for (const [name, entry] of Object.entries(ENTRIES)) {
    const cells: string[] = [];
    // Interleaved per function, so the machine's drift hits every choice alike.
    for (const choice of choices) {
      const { kb, loadMs } = await measure(name, entry, choice);
      cells.push(`${kb.toFixed(1)} KB | ${loadMs.toFixed(1)} ms`);
    }
    console.log(`| ${name} | ${cells.join(' | ')} |`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
