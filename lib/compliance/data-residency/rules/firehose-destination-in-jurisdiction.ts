import { NagRuleCompliance } from 'cdk-nag';
import { defineRule, result } from '../../rule-pack';
import { destinationFindings } from '../checks';

// Destinations inside AWS, located by their ARNs and endpoints. Any other kind (HttpEndpoint,
// Splunk, Snowflake, or one added later) sends data outside AWS, out of every jurisdiction.
const AWS_DESTINATIONS = new Set(['AmazonOpenSearchServerless', 'Amazonopensearchservice', 'Elasticsearch', 'ExtendedS3', 'Iceberg', 'Redshift', 'S3']);
// Fields that name where data goes (the role and the key only grant and encrypt).
const DESTINATION_FIELD = /(ARN|Arn|JDBCURL|Endpoint)$/;
const NOT_A_DESTINATION = /^(RoleARN|RoleArn|AWSKMSKeyARN|KeyARN)$/;

/** A Firehose delivery stream delivers only to AWS destinations inside the realm's jurisdiction. */
export const FirehoseDestinationInJurisdiction = defineRule({
  name: 'FirehoseDestinationInJurisdiction',
  resourceTypes: ['AWS::KinesisFirehose::DeliveryStream'],
  info: "The delivery stream delivers to a destination outside the realm's jurisdiction, outside AWS, or to one whose region is not known.",
  explanation: 'A delivery stream copies every record it receives to its destination (and its backup bucket).',
  check: (view) => {
    if (!view.facts.jurisdiction) return NagRuleCompliance.NOT_APPLICABLE;
    const external: string[] = [];
    const targets: unknown[] = [];
    for (const [key, config] of Object.entries(view.props)) {
      if (!key.endsWith('DestinationConfiguration') || config === undefined) continue;
      const kind = key.replace(/DestinationConfiguration$/, '');
      if (AWS_DESTINATIONS.has(kind)) collect(config, targets);
      else external.push(`Destination::${kind}::external`);
    }
    const found = destinationFindings(targets, view, 'Destination');
    return result([...external, ...(Array.isArray(found) ? found : [])]);
  },
});

function collect(value: unknown, into: unknown[]): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (DESTINATION_FIELD.test(key) && !NOT_A_DESTINATION.test(key)) into.push(v);
    else collect(v, into);
  }
}
