import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, IPolicyValidationContext, PolicyValidationPluginReport, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { ControlTowerChecks } from '../../lib/compliance/control-tower';

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
