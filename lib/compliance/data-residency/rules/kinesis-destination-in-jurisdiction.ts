import { NagRuleCompliance } from 'cdk-nag';
import { defineRule, list } from '../../rule-pack';
import { destinationFindings } from '../checks';

/** A DynamoDB table streams item changes only to Kinesis data streams inside the realm's jurisdiction. */
export const KinesisDestinationInJurisdiction = defineRule({
  name: 'KinesisDestinationInJurisdiction',
  resourceTypes: ['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable'],
  info: "The table streams item changes to a Kinesis data stream outside the realm's jurisdiction, or to one whose region is not known.",
  explanation: 'Kinesis streaming for DynamoDB copies every item change, with the item, into the stream.',
  check: (view) => {
    if (!view.facts.jurisdiction) return NagRuleCompliance.NOT_APPLICABLE;
    const specs = view.resource.Type === 'AWS::DynamoDB::Table' ? [view.props.KinesisStreamSpecification] : list(view.props.Replicas).map((r) => r?.KinesisStreamSpecification);
    const streams = specs.filter((s) => s !== undefined).map((s) => s.StreamArn);
    return streams.length === 0 ? NagRuleCompliance.COMPLIANT : destinationFindings(streams, view, 'Stream');
  },
});
