import { App, IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, Stage, Validations } from 'aws-cdk-lib';
import { timedPlugin } from '../synth-timings';
import { CloudFormationValidate } from './cloudformation-validate';
import { ControlTowerChecks } from './control-tower';
import { startingEarly } from './start-early';
import { cachedByAssembly } from './validation-cache';

// Every pack, in the order they run, by the name each reports under; `tree` for those that read
// the construct tree (the others read templates). A tree pack's module is loaded only when the
// pack is made: loading cdk-nag's packs costs a synth 0.15 s, which a warm one, answered from the
// validation cache, does not need.
const nag = (): typeof import('cdk-nag') => require('cdk-nag');
interface Pack {
  readonly name: string;
  readonly tree: boolean;
  readonly make: (scope: Stage) => IPolicyValidationPlugin;
}
const PACKS: readonly Pack[] = [
  { name: 'AwsSolutions', tree: true, make: (scope) => new (nag().AwsSolutionsChecks)(scope) },
  { name: 'HIPAA.Security', tree: true, make: (scope) => new (nag().HIPAASecurityChecks)(scope) },
  { name: 'NIST.800.53.R5', tree: true, make: (scope) => new (nag().NIST80053R5Checks)(scope) },
  { name: 'PCI.DSS.321', tree: true, make: (scope) => new (nag().PCIDSS321Checks)(scope) },
  { name: 'Serverless', tree: true, make: (scope) => new (nag().ServerlessChecks)(scope) },
  { name: 'cdk-validator-cfnguard', tree: false, make: () => new ControlTowerChecks() },
  { name: 'DataResidency', tree: true, make: (scope) => new (require('./data-residency/pack') as typeof import('./data-residency/pack')).DataResidencyChecks(scope) },
  { name: 'AtlassianAppSecurity', tree: true, make: (scope) => new (require('./app-security/pack') as typeof import('./app-security/pack')).AtlassianAppSecurityChecks(scope) },
];

/** The validation plugins {@link applyCompliance} attaches, by the name each reports under. */
export function compliancePlugins(scope: Stage): IPolicyValidationPlugin[] {
  return PACKS.map((pack) => pack.make(scope));
}

/**
 * A tree pack made when it is first asked to validate, reporting under its name (no tree pack
 * states a version). Wrapped in `cachedByAssembly`, a warm synth never makes it.
 */
function madeWhenValidating(scope: Stage, { name, make }: Pack): IPolicyValidationPlugin {
  let pack: IPolicyValidationPlugin | undefined;
  return {
    name,
    validate: (context: IPolicyValidationContext): PolicyValidationPluginReport => (pack ??= make(scope)).validate(context),
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
  const plugins = PACKS.map((pack) => (pack.tree ? cachedByAssembly(madeWhenValidating(scope, pack)) : pack.make(scope)));
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
