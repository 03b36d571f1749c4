/**
 * Median wall time of `cdk synth` (the pinned CLI, as `npx cdk synth` runs it) for 1, 4
 * and all 12 realms, beside a bare aws-cdk-lib app with the same number of empty stacks,
 * measured in the same run. Usage: npm run bench:synth [-- --runs N]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REALM_NAMES } from '../lib/config/realms';

const ROOT = join(__dirname, '..');
const CDK = require.resolve('aws-cdk/bin/cdk');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
// Inside the project, so the bare app resolves aws-cdk-lib from the same node_modules.
mkdirSync(join(ROOT, 'bench', '.work'), { recursive: true });
const dir = mkdtempSync(join(ROOT, 'bench', '.work', 'run-'));
const example = require('../residency.config.json');

function configWith(realmCount: number): string {
  const realms = Object.fromEntries(REALM_NAMES.slice(0, realmCount).map((r) => [r, {}]));
  const file = join(dir, `config-${realmCount}.json`);
  writeFileSync(file, JSON.stringify({ ...example, realms }));
  return file;
}

function bareApp(stackCount: number): string {
  const file = join(dir, `bare-${stackCount}.ts`);
  writeFileSync(
    file,
    `import { App, Stack } from 'aws-cdk-lib';\nconst app = new App();\nfor (let i = 0; i < ${stackCount}; i++) new Stack(app, 'Empty' + i, { env: { region: 'us-east-1' } });\n`,
  );
  return file;
}

function timeSynth(args: string[]): number {
  const out = mkdtempSync(join(dir, 'out-'));
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [CDK, 'synth', '-q', '-o', out, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`cdk synth ${args.join(' ')} failed:\n${r.stderr}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

console.log(`cdk synth wall time, median of ${RUNS} runs (ms); node ${process.version}, ${require('node:os').cpus().length} cores`);
console.log('realms  cdk-residency  bare-floor  ratio');
for (const n of [1, 4, 12]) {
  const config = configWith(n);
  const bare = bareApp(n);
  const ours: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    // Interleave so drift on the machine hits both sides alike.
    ours.push(timeSynth(['-c', `config=${config}`]));
    floor.push(timeSynth(['--app', `npx tsx ${bare}`]));
  }
  const [o, f] = [median(ours), median(floor)];
  console.log(`${String(n).padStart(6)}  ${o.toFixed(0).padStart(13)}  ${f.toFixed(0).padStart(10)}  ${(o / f).toFixed(2)}x`);
}
