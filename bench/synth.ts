/**
 * Median wall time of `cdk synth` (the pinned CLI, as `npx cdk synth` runs it) for 1, 4
 * and all 12 realms, cold (validation and bundle caches emptied first, a new output folder) and
 * warm (nothing changed since the last synth, into the same output folder), beside a bare
 * aws-cdk-lib app with the same number of empty stacks run as `npx tsx` runs it (the floor the
 * targets are against), and the same bare app run as ours is (`node --import tsx`), measured
 * in the same run, interleaved; then the median time of each phase, as bin/app.ts reports them
 * (RESIDENCY_SYNTH_TIMINGS). Usage: npm run bench:synth [-- --runs N] [-- --realms 1,12]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REALM_NAMES } from '../lib/config/realms';
import { SYNTH_TIMINGS_ENV } from '../lib/synth-timings';
import { validationCacheDir } from '../lib/compliance/validation-cache';
import { bundleCacheDir } from '../constructs/app-function/bundle-cache';

const ROOT = join(__dirname, '..');
const CDK = require.resolve('aws-cdk/bin/cdk');
const arg = (name: string) => (process.argv.indexOf(name) > 0 ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const RUNS = Number(arg('--runs') ?? 5);
const REALM_COUNTS = (arg('--realms') ?? '1,4,12').split(',').map(Number);
// Inside the project, so the bare app resolves aws-cdk-lib from the same node_modules.
mkdirSync(join(ROOT, 'bench', '.work'), { recursive: true });
const dir = mkdtempSync(join(ROOT, 'bench', '.work', 'run-'));
const example = require('../residency.config.json');

function configWith(realmCount: number): string {
  const realms = Object.fromEntries(REALM_NAMES.slice(0, realmCount).map((r) => [r, {}]));
  const file = join(dir, `config-${realmCount}.json`);
  // The app entry is relative to the config file: name the example's from here.
  writeFileSync(file, JSON.stringify({ ...example, app: { ...example.app, entry: join(ROOT, example.app.entry) }, realms }));
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

interface Run {
  readonly ms: number;
  /** The phases bin/app.ts reported, plus `cli` (the rest of the wall time: the CLI and process starts). */
  readonly phases: Record<string, number>;
}

/** Times one `cdk synth` into `out` (a fresh folder unless given), then removes `out` unless `keep`. */
function timeSynth(args: string[], out = mkdtempSync(join(dir, 'out-')), keep = false): Run {
  const timings = join(out, '..', `${out.split('/').pop()}.timings.json`);
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [CDK, 'synth', '-q', '-o', out, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1', [SYNTH_TIMINGS_ENV]: timings },
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`cdk synth ${args.join(' ')} failed:\n${r.stderr}`);
  if (!keep) rmSync(out, { recursive: true, force: true });
  let phases: Record<string, number> = {};
  try {
    phases = JSON.parse(readFileSync(timings, 'utf8')).phases;
  } catch {
    return { ms, phases }; // the bare app reports none
  }
  // Exclusive times: bundling runs during tree construction, the validation plugins during synth.
  const validation = Object.entries(phases).filter(([k]) => k.startsWith('validate:')).reduce((a, [, v]) => a + v, 0);
  const { start: s = 0, tree = 0, bundle = 0, synth = 0, ...rest } = phases;
  const shown = { start: s, tree: tree - bundle, bundle, ...rest, assembly: synth - validation };
  return { ms, phases: { ...shown, cli: ms - s - tree - synth } };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;

console.log(`cdk synth wall time, median of ${RUNS} runs (ms); node ${process.version}, ${require('node:os').cpus().length} cores`);
console.log(`validation cache: ${validationCacheDir() ?? 'off'}; bundle cache: ${bundleCacheDir() ?? 'off'} (cold: both emptied before each run)`);
const phaseRows: [string, Run[]][] = [];
console.log('realms     cold    warm  bare-floor  cold/bare  warm/bare  bare-node  warm/bare-node');
for (const n of REALM_COUNTS) {
  const config = configWith(n);
  const bare = bareApp(n);
  const cold: Run[] = [];
  const warm: Run[] = [];
  const floor: Run[] = [];
  const floorNode: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    // Interleave so drift on the machine hits all sides alike.
    for (const cache of [validationCacheDir(), bundleCacheDir()]) if (cache) rmSync(cache, { recursive: true, force: true });
    // Warm is the next `npx cdk synth` of a dev loop: into the same output folder, nothing changed.
    const out = mkdtempSync(join(dir, 'out-'));
    cold.push(timeSynth(['-c', `config=${config}`], out, true));
    warm.push(timeSynth(['-c', `config=${config}`], out));
    // With CDK's version reporting, which our cdk.json turns off: as the floor was measured when
    // the issue was filed, and an empty stack then still has one resource (CloudFormation Validate
    // refuses a template without any).
    floor.push(timeSynth(['--app', `npx tsx ${bare}`, '--version-reporting']));
    floorNode.push(timeSynth(['--app', `node --import tsx ${bare}`, '--version-reporting']));
  }
  const [c, w, f, fn] = [cold, warm, floor, floorNode].map((runs) => median(runs.map((r) => r.ms)));
  console.log(`${String(n).padStart(6)}  ${c.toFixed(0).padStart(7)} ${w.toFixed(0).padStart(7)}  ${f.toFixed(0).padStart(10)}  ${ratio(c, f).padStart(9)}  ${ratio(w, f).padStart(9)}  ${fn.toFixed(0).padStart(9)}  ${ratio(w, fn).padStart(14)}`);
  phaseRows.push([`${n} cold`, cold], [`${n} warm`, warm]);
}
console.log('targets: 12 realms cold within 2x, warm within 1.3x; 1 realm within 1.5x');

console.log('\nphases, median ms (tree excludes bundle; assembly is synth less the validation plugins; cli is the rest of the wall time)');
const names = [...new Set(phaseRows.flatMap(([, runs]) => runs.flatMap((r) => Object.keys(r.phases))))];
const width = Math.max(...names.map((p) => p.length));
console.log(`${''.padEnd(width)}  ${phaseRows.map(([label]) => label.padStart(9)).join(' ')}`);
for (const name of names) {
  console.log(`${name.padEnd(width)}  ${phaseRows.map(([, runs]) => median(runs.map((r) => r.phases[name] ?? 0)).toFixed(0).padStart(9)).join(' ')}`);
}
