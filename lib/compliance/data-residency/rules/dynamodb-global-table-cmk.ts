import { NagRuleCompliance } from 'cdk-nag';
import { defineRule, list } from '../../rule-pack';
import { isCustomerManagedKey } from '../../customer-managed-key';

/** A DynamoDB global table is encrypted with a customer managed key in every replica. */
export const DynamoDBGlobalTableCMK = defineRule({
  name: 'DynamoDBGlobalTableCMK',
  resourceTypes: ['AWS::DynamoDB::GlobalTable'],
  info: 'The DynamoDB global table is not encrypted with a customer managed KMS key in every replica.',
  explanation:
    "With the realm's own key, deleting or disabling the key makes the data unreadable (crypto-shredding), and key use is logged and " +
    'scoped by the key policy. An AWS owned or AWS managed key gives neither. No cdk-nag DynamoDB rule inspects AWS::DynamoDB::GlobalTable.',
  check: (view) => {
    const sse = view.props.SSESpecification;
    if (sse?.SSEEnabled !== true || sse?.SSEType !== 'KMS') return NagRuleCompliance.NON_COMPLIANT;
    const replicas = list(view.props.Replicas);
    const keyed = (r: any) => isCustomerManagedKey(r?.SSESpecification?.KMSMasterKeyId, view);
    return replicas.length > 0 && replicas.every(keyed) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
});
