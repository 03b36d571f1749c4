import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SynthesizedFunction, synthesizedFunctions } from '../helpers/synthesized-functions';

const RUNNER = join(__dirname, '..', 'helpers', 'run-handler.cjs');
const work = mkdtempSync(join(tmpdir(), 'bundle-load-'));
// Only the toolkit's own functions; CDK's custom-resource providers are aws-cdk-lib's to bundle.
const ours = synthesizedFunctions(join(work, 'cdk.out')).filter((f) => f.description.startsWith('cdk-residency:'));
// One run per bundle and handler, naming every function deployed with it.
const bundles = new Map<string, SynthesizedFunction[]>();
for (const f of ours) {
  const key = `${f.assetDir}:${f.file}:${f.exportName}`;
  bundles.set(key, [...(bundles.get(key) ?? []), f]);
}

function nodeModulesAbove(dir: string): string[] {
  const found: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'node_modules'))) found.push(join(d, 'node_modules'));
    if (dirname(d) === d) return found;
  }
}

function runAlone(fn: SynthesizedFunction): { missing: string | null } {
  const dir = mkdtempSync(join(work, 'run-'));
  cpSync(fn.assetDir, dir, { recursive: true });
  // Node built-ins only: no NODE_PATH, no global folders under HOME, no node_modules above the copy.
  const env = {
    PATH: process.env.PATH,
    HOME: dir,
    NODE_PATH: '',
    AWS_REGION: 'eu-central-1',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'not-a-secret',
    // Every SDK call fails at once instead of waiting on the closed network.
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    AWS_MAX_ATTEMPTS: '1',
    ...fn.environment,
  };
  const run = spawnSync(process.execPath, [RUNNER, join(dir, fn.file), fn.exportName], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) throw new Error(`${fn.name}: the runner exited ${run.status}: ${run.stderr}`);
  // The runner's answer is its last line; a handler may have logged before it.
  return JSON.parse(run.stdout.trimEnd().split('\n').pop()!);
}

describe('every synthesized Lambda bundle, alone in an empty directory', () => {
  it('finds the toolkit functions in the example assembly, in a temp dir with no node_modules above it', () => {
    expect(bundles.size).toBeGreaterThan(0);
    expect(nodeModulesAbove(work)).toEqual([]);
  });

  it.each([...bundles.values()].map((fns) => [fns[0]!.description, fns.map((f) => f.name).join(', '), fns[0]!] as const))(
    '"%s" (%s) finds every module it requires among Node built-ins',
    (_description, names, fn) => {
      // Other errors (the placeholder settings, no AWS reachable, an empty event) are expected offline.
      expect({ functions: names, missing: runAlone(fn).missing }).toEqual({ functions: names, missing: null });
    },
  );
});
