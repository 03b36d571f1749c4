import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CfnResource, CloudFormationValidatePlugin, IPolicyValidationContext, Stack } from 'aws-cdk-lib';
import { CloudFormationValidate } from '../../lib/compliance/cloudformation-validate';
import { parseConfig } from '../../lib/config';
import { addResidencyStacks } from '../../lib/stacks/residency-app';
import { NO_BUNDLING } from '../helpers/example-app';
import { withoutValidationCache } from '../helpers/validation-cache-off';
import { exampleConfigJson } from '../helpers/example-config';

// The example with three realms and its edge, and three stacks with findings among them (the
// same finding in the first and the last but one, so one violation gathers resources from runs
// made apart): eight templates.
function contextOfExample(): IPolicyValidationContext {
  const outdir = mkdtempSync(join(tmpdir(), 'residency-cfn-validate-'));
  const app = new App({ outdir, context: NO_BUNDLING });
  const weak = (id: string, props: Record<string, unknown>) =>
    new CfnResource(new Stack(app, id, { env: { region: 'eu-central-1' } }), 'Fn', { type: 'AWS::Lambda::Function', properties: { Code: { ZipFile: 'x' }, Handler: 'index.handler', Role: 'arn:aws:iam::123456789012:role/r', ...props } });
  weak('AWeak', { Runtime: 'nodejs12.x' });
  addResidencyStacks(app, parseConfig({ ...exampleConfigJson(), realms: { Global: {}, EU: {}, AU: {} } }));
  weak('ZWeakB', { Runtime: 'nodejs12.x', MemorySize: 1 });
  weak('ZWeakC', { Runtime: 'python3.12', Timeout: 0 });
  const stackTemplates = app.synth().stacks.map((s) => ({
    stackConstructPath: s.hierarchicalId,
    templatePath: join(outdir, s.templateFile),
    accountId: undefined,
    region: s.environment.region,
  }));
  return { templatePaths: stackTemplates.map((s) => s.templatePath), stackTemplates } as IPolicyValidationContext;
}

describe('CloudFormationValidate', () => {
  withoutValidationCache();

  it("reports exactly what aws-cdk-lib's own plugin reports in one run, in the same order", () => {
    const context = contextOfExample();
    expect(context.templatePaths.length).toBe(8);
    const ours = new CloudFormationValidate().validate(context);
    const theirs = new CloudFormationValidatePlugin().validate(context);
    // More than one finding, and one that names resources of two templates.
    expect(theirs.violations.length).toBeGreaterThan(1);
    expect(theirs.violations.some((v) => new Set(v.violatingResources.map((r) => r.templatePath)).size > 1)).toBe(true);
    expect(JSON.stringify(ours)).toBe(JSON.stringify(theirs));
  });

  it("keys its cache on the rule engine's package version, which is the version the plugin reports", () => {
    const pkg = require(require.resolve('@aws/cloudformation-validate/package.json', { paths: [require.resolve('aws-cdk-lib')] }));
    expect(new CloudFormationValidatePlugin().version).toBe(pkg.version);
    expect(new CloudFormationValidate().version).toBe(new CloudFormationValidatePlugin().version);
  });
});
