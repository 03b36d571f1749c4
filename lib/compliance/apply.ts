import { App, IPolicyValidationPlugin, Stage, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks, ServerlessChecks } from 'cdk-nag';
import { timedPlugin } from '../synth-timings';
import { AtlassianAppSecurityChecks } from './app-security/pack';
import { CloudFormationValidate } from './cloudformation-validate';
import { ControlTowerChecks } from './control-tower';
import { DataResidencyChecks } from './data-residency/pack';
import { startingEarly } from './start-early';
import { cachedByAssembly } from './validation-cache';

/** The validation plugins {@link applyCompliance} attaches, by the name each reports under. */
export function compliancePlugins(scope: Stage): IPolicyValidationPlugin[] {
  return [
    new AwsSolutionsChecks(scope),
    new HIPAASecurityChecks(scope),
    new NIST80053R5Checks(scope),
    new PCIDSS321Checks(scope),
    new ServerlessChecks(scope),
    new ControlTowerChecks(),
    new DataResidencyChecks(scope),
    new AtlassianAppSecurityChecks(scope),
  ];
}

/**
 * Attaches every compliance pack to an App (or Stage): the cdk-nag packs AwsSolutions,
 * HIPAA.Security, NIST.800.53.R5, PCI.DSS.321 and Serverless, the cfn-guard Control Tower
 * rules, and our DataResidency and AtlassianAppSecurity packs. Synthesis then fails on any
 * unacknowledged error-level finding, and `cdk.out/validation-report.json` records every
 * acknowledgement with its reason. Findings are cached by what they were found in, under
 * `node_modules/.cache/cdk-residency/validation` (`RESIDENCY_VALIDATION_CACHE=off` turns it off).
 */
export function applyCompliance(scope: Stage): void {
  // The packs that read the construct tree report the same on the same assembly: cached by it.
  // Control Tower and CloudFormation Validate read templates, and cache each template's findings.
  const plugins = compliancePlugins(scope).map((p) => (p instanceof ControlTowerChecks ? p : cachedByAssembly(p)));
  // aws-cdk-lib's own "CloudFormation Validate" runs after the plugins of an App unless the App
  // turned it off; attached here in that same place, it is timed like the packs.
  if (App.isApp(scope) && builtinValidationEnabled(scope)) plugins.push(new CloudFormationValidate());
  // cfn-guard and CloudFormation Validate start in worker threads when the first pack runs.
  Validations.of(scope).addPlugins(...startingEarly(plugins.map(timedPlugin)));
}

// As aws-cdk-lib decides whether to add its default plugin (AppProps.builtinCloudFormationValidation, CDK_VALIDATION).
function builtinValidationEnabled(app: App): boolean {
  return (app as unknown as { _builtinCloudFormationValidation?: boolean })._builtinCloudFormationValidation !== false && process.env.CDK_VALIDATION !== 'false';
}
