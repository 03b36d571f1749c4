import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { parseConfig } from '../../lib/config';
import { describeReservations, reservedConcurrencyByRegion } from '../../lib/stacks/reserved-concurrency';
import { addResidencyStacks } from '../../lib/stacks/residency-app';
import { NO_BUNDLING } from '../helpers/example-app';
import { exampleConfigJson } from '../helpers/example-config';

const ROOT = join(__dirname, '..', '..');

/**
 * Runs the CDK app entry as `npx cdk synth` does (context from CDK_CONTEXT_JSON) until it has
 * printed `lines` reservation lines, which it does before validating and synthesizing: then it is
 * stopped (what follows is other tests' business). Fails when it exits first, or after 120 s.
 */
function appReservationLines(config: object, lines: number): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'residency-reserved-'));
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(config));
  const child = spawn(process.execPath, [require.resolve('tsx/cli'), 'bin/app.ts'], {
    cwd: ROOT,
    env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ ...NO_BUNDLING, config: file }) },
  });
  return new Promise((resolve, reject) => {
    let stderr = '';
    const found = () => stderr.split('\n').filter((l) => l.startsWith('reserved concurrency in '));
    const timer = setTimeout(() => child.kill(), 120_000);
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      // A whole line each: the last one is complete once a newline follows it.
      if (found().length >= lines && stderr.endsWith('\n')) {
        clearTimeout(timer);
        child.kill();
        resolve(found());
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bin/app.ts exited ${code} after printing ${found().length} of ${lines} reservation lines:\n${stderr.slice(-2000)}`));
    });
  });
}

describe('the CDK app with functions.reservedConcurrency', () => {
  it('prints, on stderr, one line per region with what the built functions reserve', async () => {
    const json = exampleConfigJson();
    json.functions = { reservedConcurrency: 10 };
    const app = new App({ context: NO_BUNDLING });
    addResidencyStacks(app, parseConfig(json));
    const expected = describeReservations(reservedConcurrencyByRegion(app));
    const lines = await appReservationLines(json, expected.length);
    expect(lines).toEqual(expected);
    // The example's regions: us-east-1 (Global and the edge), us-east-2, eu-central-1 (EU and DE), ap-southeast-2.
    expect(lines.map((l) => l.split(':')[0])).toEqual(
      ['ap-southeast-2', 'eu-central-1', 'us-east-1', 'us-east-2'].map((region) => `reserved concurrency in ${region}`),
    );
  });
});
