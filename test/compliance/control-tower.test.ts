import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { App, IPolicyValidationContext, PolicyValidationPluginReport, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { ControlTowerChecks } from '../../lib/compliance/control-tower';
import { parseConfig } from '../../lib/config';
import { addResidencyStacks } from '../../lib/stacks/residency-app';
import { NO_BUNDLING } from '../helpers/example-app';
import { withoutValidationCache } from '../helpers/validation-cache-off';
import { exampleConfigJson } from '../helpers/example-config';

function contextOfWeakApp(): IPolicyValidationContext {
  const outdir = mkdtempSync(join(tmpdir(), 'residency-ct-'));
  const app = new App({ outdir });
  const a = new Stack(app, 'A', { env: { region: 'eu-central-1' } });
  new s3.Bucket(a, 'Plain');
  new kms.Key(a, 'Unrotated');
  const b = new Stack(app, 'B', { env: { region: 'eu-central-1' } });
  new sqs.Queue(b, 'Queue', { encryption: sqs.QueueEncryption.UNENCRYPTED });
  const stackTemplates = app.synth().stacks.map((s) => ({
    stackConstructPath: s.hierarchicalId,
    templatePath: join(outdir, s.templateFile),
    accountId: undefined,
    region: s.environment.region,
  }));
  return { templatePaths: stackTemplates.map((s) => s.templatePath), stackTemplates, appConstruct: app };
}

const findings = (r: PolicyValidationPluginReport) =>
  r.violations.flatMap((v) => v.violatingResources.map((res) => `${v.ruleName} ${res.templatePath} ${res.resourceLogicalId}`)).sort();

describe('ControlTowerChecks', () => {
  const context = contextOfWeakApp();

  it('reports exactly what the full Control Tower rule set reports', () => {
    const ours = new ControlTowerChecks().validate(context);
    const full = new CfnGuardValidator({ controlTowerRulesEnabled: true, maxBuffer: 256 * 1024 * 1024 }).validate(context);
    expect(findings(ours).length).toBeGreaterThan(5);
    expect(findings(ours)).toEqual(findings(full));
    expect(ours.success).toBe(full.success);
  });

  it('runs the rule files that name a resource type present, and no others', () => {
    const rules = ControlTowerChecks.rulesFor(new Set(['AWS::SQS::Queue']));
    expect(rules.some((r) => r.includes('/sqs/'))).toBe(true);
    expect(rules.some((r) => r.includes('/s3/'))).toBe(false);
    expect(rules.some((r) => r.endsWith('ct-autoscaling-pr-5.guard'))).toBe(false);
    expect(ControlTowerChecks.rulesFor(new Set(['AWS::AutoScaling::LaunchConfiguration'])).some((r) => r.endsWith('ct-autoscaling-pr-5.guard'))).toBe(true);
  });
});

// The example with one realm and its edge: every resource kind the toolkit makes.
function contextOfExample(): IPolicyValidationContext {
  const outdir = mkdtempSync(join(tmpdir(), 'residency-ct-example-'));
  const app = new App({ outdir, context: NO_BUNDLING });
  addResidencyStacks(app, parseConfig({ ...exampleConfigJson(), realms: { Global: {} } }));
  const templatePaths = app.synth().stacks.map((s) => join(outdir, s.templateFile));
  return { templatePaths } as never;
}

// Every finding with every field, in a stable order.
const everything = (r: PolicyValidationPluginReport) => r.violations.map((v) => JSON.stringify(v)).sort();

describe('ControlTowerChecks, each rule over the resources it can read', () => {
  withoutValidationCache();

  // The rule files that apply report what the whole set does (above); here, those files over the
  // whole templates, in one cfn-guard run, against ours over the cut-down ones.
  it("reports on the example's templates, field for field, what the same rule files report on them whole", () => {
    const context = contextOfExample();
    expect(context.templatePaths.length).toBeGreaterThanOrEqual(2);
    const types = new Set(context.templatePaths.flatMap((p) => Object.values<{ Type: string }>(JSON.parse(readFileSync(p, 'utf8')).Resources).map((r) => r.Type)));
    const ours = new ControlTowerChecks().validate(context);
    const full = new CfnGuardValidator({ controlTowerRulesEnabled: false, rules: ControlTowerChecks.rulesFor(types), maxBuffer: 256 * 1024 * 1024 }).validate(context);
    expect(everything(ours).length).toBeGreaterThan(3);
    expect(everything(ours)).toEqual(everything(full));
    expect(ours.success).toBe(full.success);
  });

  // What makes cutting a template down per rule safe, checked on the installed rule files: a rule
  // selects resources only by `Type ==` a type it names, or looks one up by its key (from a Ref or
  // Fn::GetAtt, whose targets are kept). A new rule that queried resources any other way fails here.
  it('every installed rule file reads resources only by a type it names or by key', () => {
    const dir = join(dirname(require.resolve('@cdklabs/cdk-validator-cfnguard')), '..', 'rules', 'control-tower', 'cfn-guard');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.guard'));
    expect(files.length).toBeGreaterThan(200);
    // (A property named Resources, as EKS's EncryptionConfig has, is tested as a list.)
    const allowed = [/^Resources exists\b/, /^Resources(\.\*)?\[\s*Type ==/, /^Resources\[ keys == %resource_key \]/, /^Resources (is_list|not empty)$/, /^Resources\[\*\] == "/];
    const odd: string[] = [];
    for (const f of files) {
      const code = readFileSync(join(dir, f), 'utf8')
        .split('\n')
        .filter((l) => !l.trim().startsWith('#') && !l.includes('[FIX]') && !/^\s*\[CT\./.test(l))
        .join('\n');
      // A query starts at the document root (`Resources`, `%doc.Resources`, `%INPUT_DOCUMENT.Resources`).
      for (const m of code.matchAll(/(?<![A-Za-z_])Resources(?![A-Za-z_])[^\n]*(\n\s*Type ==)?/g)) {
        const query = m[0].replace(/\n\s*/, '');
        if (!allowed.some((a) => a.test(query))) odd.push(`${f}: ${query}`);
      }
    }
    expect(odd).toEqual([]);
  });
});
