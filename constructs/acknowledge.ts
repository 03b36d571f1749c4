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
  }
  // aws-cdk-lib records where each acknowledgement was made, a stack trace apiece (hundreds a
  // realm): five frames name the construct that made it and its caller, at half the cost of ten.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = ACKNOWLEDGEMENT_TRACE_FRAMES;
  try {
    for (const id of ids) Validations.of(scope).acknowledge({ id, reason });
  } finally {
    Error.stackTraceLimit = limit;
  }
}

const ACKNOWLEDGEMENT_TRACE_FRAMES = 5;

/** The findings of an S3 bucket without server access logging, in every pack that has one. */
export const S3_ACCESS_LOGGING_FINDINGS: readonly string[] = [
  'AwsSolutions::AwsSolutions-S1',
  'HIPAA.Security::HIPAA.Security-S3BucketLoggingEnabled',
  'NIST.800.53.R5::NIST.800.53.R5-S3BucketLoggingEnabled',
  'PCI.DSS.321::PCI.DSS.321-S3BucketLoggingEnabled',
  'cdk-validator-cfnguard::s3_bucket_logging_enabled_check',
];

/** The findings of an S3 bucket without cross-region replication, in every pack that has one. */
export const S3_REPLICATION_FINDINGS: readonly string[] = [
  'HIPAA.Security::HIPAA.Security-S3BucketReplicationEnabled',
  'NIST.800.53.R5::NIST.800.53.R5-S3BucketReplicationEnabled',
  'PCI.DSS.321::PCI.DSS.321-S3BucketReplicationEnabled',
];

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
