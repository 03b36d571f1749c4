import { NagRuleCompliance } from 'cdk-nag';
import { defineRule, list } from '../../rule-pack';
import { destinationFindings } from '../checks';

/**
 * S3 replication sends objects only to buckets inside the realm's jurisdiction. A bucket ARN
 * has no region, so the destination must be a bucket of this app (by reference or by name).
 */
export const S3ReplicationInJurisdiction = defineRule({
  name: 'S3ReplicationInJurisdiction',
  resourceTypes: ['AWS::S3::Bucket'],
  info: "The bucket replicates objects to a bucket outside the realm's jurisdiction, or to one this app does not define.",
  explanation:
    'Replication copies every matching object to the destination bucket. S3 ARNs carry no region: a destination bucket that is not ' +
    'defined in this app cannot be located, so it is refused.',
  check: (view) => {
    if (!view.facts.jurisdiction) return NagRuleCompliance.NOT_APPLICABLE;
    const destinations = list(view.props.ReplicationConfiguration?.Rules).map((r) => r?.Destination?.Bucket);
    return destinationFindings(destinations, view, 'Destination');
  },
});
