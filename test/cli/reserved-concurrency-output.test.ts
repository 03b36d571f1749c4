import { spawnSync } from 'node:child_process';
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

/** Runs the CDK app entry as `npx cdk synth` does (context from CDK_CONTEXT_JSON), without synthesizing. */
function runApp(config: object): { status: number | null; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'residency-reserved-'));
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(config));
  const r = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'bin/app.ts'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ ...NO_BUNDLING, config: file }) },
    timeout: 120_000,
  });
  return { status: r.status, stderr: r.stderr };
}

describe('the CDK app with functions.reservedConcurrency', () => {
  it('prints, on stderr, one line per region with what the built functions reserve', () => {
    const json = exampleConfigJson();
    json.functions = { reservedConcurrency: 10 };
    const r = runApp(json);
    expect(r.status).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('reserved concurrency in '));
    const app = new App({ context: NO_BUNDLING });
    addResidencyStacks(app, parseConfig(json));
    const expected = describeReservations(reservedConcurrencyByRegion(app));
    expect(lines).toEqual(expected);
    // The example's regions: us-east-1 (Global and the edge), us-east-2, eu-central-1 (EU and DE), ap-southeast-2.
    expect(lines.map((l) => l.split(':')[0])).toEqual(
      ['ap-southeast-2', 'eu-central-1', 'us-east-1', 'us-east-2'].map((region) => `reserved concurrency in ${region}`),
    );
  });
});
