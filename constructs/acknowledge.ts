import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** Shortest reason we accept: it must name the compensating control, not just "not needed". */
export const MIN_REASON_LENGTH = 40;

/**
 * Records acknowledgements of compliance findings on one construct (pass the narrowest:
 * the L1 resource that is flagged). `ids` are namespaced as the CDK CLI prints them
 * (`AwsSolutions::AwsSolutions-IAM4[Policy::...]`), so each lands in
 * `validation-report.json` with its reason.
 */
export function acknowledge(scope: IConstruct, reason: string, ...ids: string[]): void {
  if (reason.trim().length < MIN_REASON_LENGTH) {
    throw new Error(`acknowledge: found a reason of ${reason.trim().length} characters on ${scope.node.path}; expected at least ${MIN_REASON_LENGTH} naming the compensating control`);
  }
  for (const id of ids) {
    if (!id.includes('::')) throw new Error(`acknowledge: found rule id "${id}"; expected a namespaced id such as AwsSolutions::AwsSolutions-S1`);
    Validations.of(scope).acknowledge({ id, reason });
  }
}

/**
 * The id of one DataResidency finding, as the pack names it: the rule, what it found (`Resource::<arn>`,
 * `Variable::<name>::<arn>`) and the region it placed it in. ARNs are written as the pack prints them,
 * partition `aws` and the account as `<AWS::AccountId>` (see {@link printedArn}).
 */
export function dataResidencyFindingId(rule: 'IAMPolicyInJurisdiction' | 'LambdaEnvironmentInJurisdiction', found: string, region: string): string {
  return `DataResidency::DataResidency-${rule}[${found}::${region}]`;
}

/** An ARN of this app's account as compliance findings print it: `arn:aws:<service>:<region>:<AWS::AccountId>:<resource>`. */
export function printedArn(service: string, region: string, resource: string): string {
  return `arn:aws:${service}:${region}:<AWS::AccountId>:${resource}`;
}
