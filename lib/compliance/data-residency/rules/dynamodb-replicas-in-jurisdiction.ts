import { NagRuleCompliance } from 'cdk-nag';
import { defineRule, list } from '../../rule-pack';
import { regionFindings } from '../checks';

/**
 * Every replica of a DynamoDB global table (`TableV2` replicas, or the `Custom::DynamoDBReplica`
 * that `Table`'s `replicationRegions` creates) lies in the realm's jurisdiction.
 */
export const DynamoDBReplicasInJurisdiction = defineRule({
  name: 'DynamoDBReplicasInJurisdiction',
  resourceTypes: ['AWS::DynamoDB::GlobalTable', 'Custom::DynamoDBReplica'],
  info: "The DynamoDB table has a replica in a region outside the realm's jurisdiction, or one whose region is not known before deployment.",
  explanation: 'A replica is a full copy of every item, kept in sync: it moves all of the table\'s data to its region.',
  check: (view) => {
    if (!view.facts.jurisdiction) return NagRuleCompliance.NOT_APPLICABLE;
    const regions = view.resource.Type === 'Custom::DynamoDBReplica' ? [view.props.Region] : list(view.props.Replicas).map((r) => r?.Region);
    return regionFindings(regions, view);
  },
});
