import { IPolicyValidationPlugin, Stage, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks, ServerlessChecks } from 'cdk-nag';
import { AtlassianAppSecurityChecks } from './app-security/pack';
import { ControlTowerChecks } from './control-tower';
import { DataResidencyChecks } from './data-residency/pack';

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
 * acknowledgement with its reason.
 */
export function applyCompliance(scope: Stage): void {
  Validations.of(scope).addPlugins(...compliancePlugins(scope));
}
