import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cdk } from '../helpers/cdk-cli';
import { exampleConfigJson } from '../helpers/example-config';

const FIXTURES = join(__dirname, '..', 'fixtures');

describe('npx cdk synth with a bad app.entry', () => {
  const dir = mkdtempSync(join(tmpdir(), 'residency-bad-entry-'));
  writeFileSync(join(dir, 'no-default.ts'), 'export const routes = [];\n');
  writeFileSync(join(dir, 'syntax-error.ts'), 'export default defineApp({ routes: [ }\n');

  it.each([
    ['a missing file', join(dir, 'no-such-app.ts'), /: app\.entry .*no-such-app\.ts: no such file \(/],
    ['a module without a default export', join(dir, 'no-default.ts'), /: app\.entry .*no-default\.ts has no default export; expected `export default defineApp/],
    ['a default export that is not an app', join(FIXTURES, 'not-an-app.ts'), /: app\.entry .*not-an-app\.ts: its default export is object, not an app made by defineApp/],
    ['a route that shadows a toolkit route', join(FIXTURES, 'bad-apps', 'route-clash.ts'), /: app\.entry .*route-clash\.ts: defineApp refused the app: .*\/lifecycle\/installed/],
    ['an unknown auth kind', join(FIXTURES, 'bad-apps', 'unknown-auth.ts'), /: app\.entry .*unknown-auth\.ts: defineApp refused the app: .*auth "jwt"/],
    ['a syntax error', join(dir, 'syntax-error.ts'), /: app\.entry .*syntax-error\.ts: the module failed to load: .*syntax-error\.ts/],
  ])('stops at %s with one line naming the config, the file and the problem, no stack trace, nothing written', (name, entry, line) => {
    const c = exampleConfigJson() as Record<string, any>;
    c.app.entry = entry;
    const config = join(dir, `${name.replace(/\W+/g, '-')}.json`);
    writeFileSync(config, JSON.stringify(c));
    const out = join(dir, `out-${name.replace(/\W+/g, '-')}`);
    const r = cdk(['synth', '-q', '-c', `config=${config}`, '-o', out]);
    expect(r.status).not.toBe(0);
    const mine = r.stderr.split('\n').filter((l) => l.includes('app.entry'));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatch(line);
    expect(mine[0]!.startsWith(config)).toBe(true);
    expect(r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });
});
