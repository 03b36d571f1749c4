import { CloudFormationValidatePlugin, IPolicyValidationContext, PolicyValidationPluginReport } from 'aws-cdk-lib';

/**
 * aws-cdk-lib's "CloudFormation Validate", attached explicitly (so it is timed and cached like
 * the packs) yet the very check aws-cdk-lib would add by default: an instance of its class, so
 * aws-cdk-lib adds no second one, and validating through aws-cdk-lib's process-wide instance,
 * whose rule engine is loaded once and reused by every App of the process.
 */
export class CloudFormationValidate extends CloudFormationValidatePlugin {
  public override validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    return shared().validate(context);
  }
}

function shared(): CloudFormationValidatePlugin {
  return (CloudFormationValidatePlugin as unknown as { _singletonInstance(): CloudFormationValidatePlugin })._singletonInstance();
}
