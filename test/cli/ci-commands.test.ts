import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

// .ci/run says it runs exactly the README's Quick start commands; the workflow runs them too.
describe('CI runs the README Quick start', () => {
  const quickStart = /## Quick start\s+```sh\n([\s\S]*?)```/.exec(read('README.md'))![1]!.trim().split('\n');

  it('in .ci/run, exactly and in order', () => {
    const commands = read('.ci/run').split('\n').filter((l) => l.trim() && !/^(#|set |cd )/.test(l));
    expect(commands).toEqual(quickStart);
  });

  it('in the GitHub workflow, in order (after installing cfn-lint)', () => {
    const steps = [...read('.github/workflows/ci.yml').matchAll(/^\s+- run: (.+)$/gm)].map((m) => m[1]!);
    expect(steps.filter((s) => s !== 'pip install cfn-lint')).toEqual(quickStart);
    expect(steps.indexOf('pip install cfn-lint')).toBeLessThan(steps.indexOf('npm run lint:cfn'));
  });
});
