import { App, IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, Stage, Validations } from 'aws-cdk-lib';
import { timedPlugin } from '../synth-timings';
import { CloudFormationValidate } from './cloudformation-validate';
import { ControlTowerChecks } from './control-tower';
import { startingEarly } from './start-early';
import { cachedByAssembly } from './validation-cache';

// The packs that read the construct tree, in the order they run, by the name each reports under.
// Each module is loaded only when its pack is made: loading cdk-nag's packs costs a synth 0.15 s,
// which a warm one, answered from the validation cache, does not need.
const nag = (): typeof import('cdk-nag') => require('cdk-nag');
const TREE_PACKS: readonly (readonly [name: string, make: (scope: Stage) => IPolicyValidationPlugin])[] = [
  ['AwsSolutions', (scope) => new (nag().AwsSolutionsChecks)(scope)],
  ['HIPAA.Security', (scope) => new (nag().HIPAASecurityChecks)(scope)],
  ['NIST.800.53.R5', (scope) => new (nag().NIST80053R5Checks)(scope)],
  ['PCI.DSS.321', (scope) => new (nag().PCIDSS321Checks)(scope)],
  ['Serverless', (scope) => new (nag().ServerlessChecks)(scope)],
  ['DataResidency', (scope) => new (require('./data-residency/pack') as typeof import('./data-residency/pack')).DataResidencyChecks(scope)],
  ['AtlassianAppSecurity', (scope) => new (require('./app-security/pack') as typeof import('./app-security/pack')).AtlassianAppSecurityChecks(scope)],
];
// Control Tower runs after the cdk-nag packs, before ours.
const CONTROL_TOWER_AT = 5;

/** The validation plugins {@link applyCompliance} attaches, by the name each reports under. */
export function compliancePlugins(scope: Stage): IPolicyValidationPlugin[] {
  const plugins = TREE_PACKS.map(([, make]) => make(scope));
  plugins.splice(CONTROL_TOWER_AT, 0, new ControlTowerChecks());
  return plugins;
}

/**
 * A pack of {@link TREE_PACKS} made when it is first asked to validate, reporting under its
 * name (no pack of them states a version). Wrapped in `cachedByAssembly`, a warm synth never makes it.
 */
function madeWhenValidating(name: string, make: () => IPolicyValidationPlugin): IPolicyValidationPlugin {
  let pack: IPolicyValidationPlugin | undefined;
  return {
    name,
    validate: (context: IPolicyValidationContext): PolicyValidationPluginReport => (pack ??= make()).validate(context),
  };
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
  const plugins: IPolicyValidationPlugin[] = TREE_PACKS.map(([name, make]) => cachedByAssembly(madeWhenValidating(name, () => make(scope))));
  plugins.splice(CONTROL_TOWER_AT, 0, new ControlTowerChecks());
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
