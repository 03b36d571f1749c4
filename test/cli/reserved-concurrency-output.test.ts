import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { parseConfig } from '../../lib/config';
import { describeReservations, reservedConcurrencyByRegion } from '../../lib/stacks/reserved-concurrency';
import { addResidencyStacks } from '../../lib/stacks/residency-app';
import { appStderrLines } from '../helpers/app-until';
import { NO_BUNDLING } from '../helpers/example-app';
import { exampleConfigJson } from '../helpers/example-config';

describe('the CDK app with functions.reservedConcurrency', () => {
  it('prints, on stderr, one line per region with what the built functions reserve', async () => {
    const json = exampleConfigJson();
    json.functions = { reservedConcurrency: 10 };
    const app = new App({ context: NO_BUNDLING });
    addResidencyStacks(app, parseConfig(json));
    const expected = describeReservations(reservedConcurrencyByRegion(app));
    const dir = mkdtempSync(join(tmpdir(), 'residency-reserved-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify(json));
    const lines = await appStderrLines({ ...NO_BUNDLING, config: join(dir, 'config.json') }, (l) => l.startsWith('reserved concurrency in '), expected.length);
    expect(lines).toEqual(expected);
    // The example's regions: us-east-1 (Global and the edge), us-east-2, eu-central-1 (EU and DE), ap-southeast-2.
    expect(lines.map((l) => l.split(':')[0])).toEqual(
      ['ap-southeast-2', 'eu-central-1', 'us-east-1', 'us-east-2'].map((region) => `reserved concurrency in ${region}`),
    );
  });
});
