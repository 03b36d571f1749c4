import { NagRuleCompliance } from 'cdk-nag';
import { isCustomerManagedKey } from '../../customer-managed-key';
import { defineRule } from '../../rule-pack';

const CMK_EXPLANATION =
  "Atlassian asks that data at rest be encrypted and keys managed. Under the realm's own customer managed key, access is scoped by " +
  'the key policy, every use is logged, and deleting the key crypto-shreds the data; AWS owned and AWS managed keys give none of that.';

/** S3 buckets encrypt by default with SSE-KMS (or DSSE-KMS) under a customer managed key. */
export const S3BucketCMK = defineRule({
  name: 'S3BucketCMK',
  resourceTypes: ['AWS::S3::Bucket'],
  info: 'The S3 bucket does not encrypt objects by default with a customer managed KMS key.',
  explanation: CMK_EXPLANATION,
  check: (view) => {
    const rules: any[] = view.props.BucketEncryption?.ServerSideEncryptionConfiguration ?? [];
    const ok = rules.some((r) => {
      const d = r?.ServerSideEncryptionByDefault;
      return (d?.SSEAlgorithm === 'aws:kms' || d?.SSEAlgorithm === 'aws:kms:dsse') && isCustomerManagedKey(d.KMSMasterKeyID, view);
    });
    return ok ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
});

/** DynamoDB tables (and every replica of a global table) are encrypted with a customer managed key. */
export const DynamoDBCMK = defineRule({
  name: 'DynamoDBCMK',
  resourceTypes: ['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable'],
  info: 'The DynamoDB table is not encrypted with a customer managed KMS key.',
  explanation: CMK_EXPLANATION,
  check: (view) => {
    const sse = view.props.SSESpecification;
    if (sse?.SSEEnabled !== true) return NagRuleCompliance.NON_COMPLIANT;
    if (view.resource.Type === 'AWS::DynamoDB::Table') return isCustomerManagedKey(sse.KMSMasterKeyId, view) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
    const replicas: any[] = Array.isArray(view.props.Replicas) ? view.props.Replicas : [];
    const ok = sse.SSEType === 'KMS' && replicas.length > 0 && replicas.every((r) => isCustomerManagedKey(r?.SSESpecification?.KMSMasterKeyId, view));
    return ok ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
});

/** CloudWatch log groups are encrypted with a customer managed key. */
export const LogGroupCMK = defineRule({
  name: 'LogGroupCMK',
  resourceTypes: ['AWS::Logs::LogGroup'],
  info: 'The log group is not encrypted with a customer managed KMS key.',
  explanation: CMK_EXPLANATION,
  check: (view) => (isCustomerManagedKey(view.props.KmsKeyId, view) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT),
});

/** Secrets Manager secrets are encrypted with a customer managed key (not `aws/secretsmanager`). */
export const SecretCMK = defineRule({
  name: 'SecretCMK',
  resourceTypes: ['AWS::SecretsManager::Secret'],
  info: 'The secret is not encrypted with a customer managed KMS key.',
  explanation: CMK_EXPLANATION,
  check: (view) => (isCustomerManagedKey(view.props.KmsKeyId, view) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT),
});
