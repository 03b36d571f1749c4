import { mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CfnResource, PolicyValidationPluginReport, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { CfnGuardValidator, CfnGuardValidatorProps } from '@cdklabs/cdk-validator-cfnguard';
import { ControlTowerChecks } from '../../lib/compliance/control-tower';
import { startJobsInParallel } from '../../lib/compliance/guard-in-parallel';

// Five templates with different weaknesses, so every share of the work has findings.
function weakTemplates(): string[] {
  const outdir = mkdtempSync(join(tmpdir(), 'residency-guard-'));
  const app = new App({ outdir });
  for (let i = 0; i < 5; i++) {
    const stack = new Stack(app, `S${i}`, { env: { region: 'eu-central-1' } });
    if (i % 2 === 0) new s3.Bucket(stack, 'Plain');
    if (i % 3 === 0) new kms.Key(stack, 'Unrotated');
    new sqs.Queue(stack, 'Queue', { encryption: i === 4 ? sqs.QueueEncryption.UNENCRYPTED : sqs.QueueEncryption.SQS_MANAGED });
  }
  return app.synth().stacks.map((s) => join(outdir, s.templateFile));
}

const findings = (r: PolicyValidationPluginReport) =>
  r.violations.flatMap((v) => v.violatingResources.map((res) => `${v.ruleName} ${res.templatePath} ${res.resourceLogicalId} ${res.locations.join(',')}`)).sort();

// One job, split by template over the cores.
const validateWithGuardInParallel = (props: CfnGuardValidatorProps, templatePaths: string[]) => startJobsInParallel([{ props, templatePaths }])()[0]!;

describe('startJobsInParallel', () => {
  const templatePaths = weakTemplates();
  const props = { controlTowerRulesEnabled: false, rules: ControlTowerChecks.rulesFor(new Set(['AWS::S3::Bucket', 'AWS::KMS::Key', 'AWS::SQS::Queue'])) };

  it('reports exactly what one validator run over all templates reports', () => {
    expect(availableParallelism()).toBeGreaterThan(1); // otherwise this would not test the split
    const split = validateWithGuardInParallel(props, templatePaths);
    const whole = new CfnGuardValidator(props).validate({ templatePaths } as never);
    expect(findings(split).length).toBeGreaterThan(5);
    expect(findings(split)).toEqual(findings(whole));
    expect(split.success).toBe(false);
  });

  it('passes a clean template and reports success', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'residency-guard-'));
    const app = new App({ outdir });
    // A resource none of the rules reports on, so every rule SKIPs.
    new CfnResource(new Stack(app, 'Clean', { env: { region: 'eu-central-1' } }), 'Handle', { type: 'AWS::CloudFormation::WaitConditionHandle' });
    const paths = app.synth().stacks.map((s) => join(outdir, s.templateFile));
    expect(validateWithGuardInParallel(props, [...paths, ...paths])).toEqual({ success: true, violations: [] });
  });

  it('reports a guard failure as an error naming cfn-guard, not a silent pass', () => {
    expect(() => validateWithGuardInParallel(props, ['/nonexistent/a.template.json'])).toThrow(/ENOENT|cfn-guard/);
  });
});
