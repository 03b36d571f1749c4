import { NagRuleCompliance } from 'cdk-nag';
import { defineRule, list } from '../../rule-pack';

/** Every replica of a DynamoDB global table has point-in-time recovery. */
export const DynamoDBGlobalTablePITR = defineRule({
  name: 'DynamoDBGlobalTablePITR',
  resourceTypes: ['AWS::DynamoDB::GlobalTable'],
  info: 'The DynamoDB global table has a replica without point-in-time recovery.',
  explanation:
    'Recovery must not depend on another region: with point-in-time recovery on every replica, each realm can restore its own data in place. ' +
    'No cdk-nag DynamoDB rule inspects AWS::DynamoDB::GlobalTable.',
  check: ({ props }) => {
    const replicas = list(props.Replicas);
    const enabled = (r: any) => r?.PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled === true;
    return replicas.length > 0 && replicas.every(enabled) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
});
