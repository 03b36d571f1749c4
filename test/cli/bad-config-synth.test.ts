import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cdk } from '../helpers/cdk-cli';
import { exampleConfigJson } from '../helpers/example-config';

describe('npx cdk synth with a bad config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'residency-bad-'));

  it('exits non-zero, prints each problem with its path, and no stack trace', () => {
    const c = exampleConfigJson();
    c.realms.EU.region = 'eu-west-2';
    c.retention.logDays = 12;
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(c));
    const r = cdk(['synth', '-q', '-c', `config=${file}`, '-o', join(dir, 'out')]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`${file}: 2 problems in the residency config`);
    expect(r.stderr).toMatch(/\$\.realms\.EU\.region: found "eu-west-2"; expected a region in EU's jurisdiction/);
    expect(r.stderr).toMatch(/\$\.retention\.logDays: found 12; expected a CloudWatch Logs retention period/);
    expect(r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  });

  it('names a missing config file', () => {
    const r = cdk(['synth', '-q', '-c', `config=${join(dir, 'missing.json')}`, '-o', join(dir, 'out2')]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/missing\.json: 1 problem in the residency config\n {2}\$: found no such file/);
  });
});
