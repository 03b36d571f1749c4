import { NagRuleCompliance } from 'cdk-nag';
import { defineRule } from '../../rule-pack';

/** KMS keys are single-Region: no multi-Region primary key, no replica key. */
export const KMSKeyNotMultiRegion = defineRule({
  name: 'KMSKeyNotMultiRegion',
  resourceTypes: ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'],
  info: 'The KMS key is a multi-Region key or a replica of one.',
  explanation:
    "A multi-Region key's material can be replicated to any region, where it decrypts the realm's data; a realm key must stay in the realm's region.",
  check: ({ resource, props }) => {
    if (resource.Type === 'AWS::KMS::ReplicaKey') return NagRuleCompliance.NON_COMPLIANT;
    return props.MultiRegion === true || props.MultiRegion === 'true' ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  },
});
