import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
// The rules .cfnlintrc ignores: a second list on purpose, so ignoring one more takes two edits.
const IGNORED = ['W3005'];

/** `npm run lint:cfn -- <args>`, optionally with another PATH. */
function lintCfn(args: string[], path = process.env.PATH): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [require.resolve('tsx/cli'), join(ROOT, 'bin', 'lint-cfn.ts'), ...args], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, PATH: path }, timeout: 120_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** A template written to a fresh temp dir; returns its path. */
function template(name: string, body: object): string {
  const file = join(mkdtempSync(join(tmpdir(), 'lint-cfn-')), `${name}.template.json`);
  writeFileSync(file, JSON.stringify(body, null, 1));
  return file;
}

const ROLE = {
  Type: 'AWS::IAM::Role',
  Properties: { AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] } },
};
// What aws-cdk-lib writes for every function: DependsOn its role, and a GetAtt of the same role (W3005).
const FUNCTION_ON_ITS_ROLE = {
  Resources: {
    Role: ROLE,
    Fn: {
      Type: 'AWS::Lambda::Function',
      DependsOn: ['Role'],
      Properties: { Runtime: 'nodejs22.x', Handler: 'index.handler', Role: { 'Fn::GetAtt': ['Role', 'Arn'] }, Code: { ZipFile: 'exports.handler = async () => 1;' } },
    },
  },
};

describe('.cfnlintrc', () => {
  const config = readFileSync(join(ROOT, '.cfnlintrc'), 'utf8').split('\n');

  it('ignores the listed rules only, each under a comment saying why, and fails on errors and warnings', () => {
    // Top-level keys: nothing else (ignore_templates, configure_rules, ...) can hide a finding.
    expect(config.filter((l) => /^\S/.test(l) && !l.startsWith('#')).map((l) => l.split(':')[0])).toEqual(['templates', 'non_zero_exit_code', 'ignore_checks']);
    expect(config).toContain('non_zero_exit_code: warning');
    const start = config.indexOf('ignore_checks:');
    const end = config.findIndex((l, i) => i > start && /^\S/.test(l));
    const block = config.slice(start + 1, end === -1 ? undefined : end);
    const ignored = block.flatMap((l, i) => {
      const m = /^ {2}- (\S+)$/.exec(l);
      return m ? [{ id: m[1], why: block[i - 1] ?? '' }] : [];
    });
    expect(ignored.map((r) => r.id)).toEqual(IGNORED);
    for (const rule of ignored) expect(rule.why).toMatch(/^ {2}# \S.{20,}/);
    expect(block.filter((l) => l.trim() && !/^ {2}(#|- )/.test(l))).toEqual([]);
  });
});

describe('npm run lint:cfn', () => {
  it('says in one line to `pip install cfn-lint` when cfn-lint is missing', () => {
    const r = lintCfn([template('fine', FUNCTION_ON_ITS_ROLE)], dirname(process.execPath));
    expect(r).toEqual({ status: 1, out: 'lint:cfn: cfn-lint is not installed; install it with `pip install cfn-lint`\n' });
  });
});

const haveCfnLint = spawnSync('cfn-lint', ['--version']).status === 0;
if (!haveCfnLint) console.warn('SKIPPED the cfn-lint runs: cfn-lint is not installed (pip install cfn-lint)');
(haveCfnLint ? describe : describe.skip)(`npm run lint:cfn with cfn-lint${haveCfnLint ? '' : ' (SKIPPED: not installed, pip install cfn-lint)'}`, () => {
  it('fails on a template with an error', () => {
    const bad = template('bad', { Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: { NotAProperty: true } } } });
    const r = lintCfn([bad]);
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/^E3002 .*NotAProperty/m);
  });

  it('passes the DependsOn-and-GetAtt warning CDK always writes, and fails on any other warning', () => {
    const fn = template('function', FUNCTION_ON_ITS_ROLE);
    // cfn-lint without the project's config (run beside the template) does report W3005 here ...
    const bare = spawnSync('cfn-lint', [fn], { cwd: dirname(fn), encoding: 'utf8' });
    expect({ status: bare.status, rules: [...bare.stdout.matchAll(/^([EW]\d+) /gm)].map((m) => m[1]) }).toEqual({ status: 4, rules: ['W3005'] });
    // ... and the project's config ignores it.
    expect(lintCfn([fn])).toEqual({ status: 0, out: '' });
    // W2001: a parameter nothing uses; not in the ignore list, so it fails the lint.
    const unused = template('unused', { ...FUNCTION_ON_ITS_ROLE, Parameters: { Unused: { Type: 'String' } } });
    const r = lintCfn([unused]);
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/^W2001 .*Unused/m);
    expect(r.out).not.toMatch(/^W3005/m);
  });
});
