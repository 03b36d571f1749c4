import { Names } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/**
 * The fields of an edge access-log record: request metadata only. Left out on purpose:
 * `cs-uri-query` (a Connect token travels in `?jwt=`), `cs(Cookie)`, `cs(Referer)` (it
 * can repeat a `?jwt=` URL) and `x-forwarded-for`. Standard logging (legacy) always
 * writes the query string, so the edge uses standard logging v2 with this selection.
 */
export const EDGE_LOG_FIELDS: readonly string[] = [
  'date',
  'time',
  'x-edge-location',
  'c-ip',
  'cs-method',
  'cs(Host)',
  'cs-uri-stem',
  'sc-status',
  'sc-bytes',
  'cs-bytes',
  'time-taken',
  'cs(User-Agent)',
  'x-edge-result-type',
  'x-edge-response-result-type',
  'x-edge-detailed-result-type',
  'x-edge-request-id',
  'cs-protocol',
  'cs-protocol-version',
  'ssl-protocol',
  'ssl-cipher',
];

/** Props of {@link EdgeAccessLogDelivery}. */
export interface EdgeAccessLogDeliveryProps {
  /** The distribution whose access logs are delivered. */
  readonly distribution: cloudfront.IDistribution;
  /** ARN of the destination bucket (it may be in another region). */
  readonly bucketArn: string;
}

/**
 * CloudFront standard logging (v2) of a distribution into an S3 bucket: a CloudWatch
 * Logs delivery source for the distribution's access logs, a delivery destination for
 * the bucket, and the delivery between them, limited to {@link EDGE_LOG_FIELDS}.
 * Must be in us-east-1, with the distribution.
 */
export class EdgeAccessLogDelivery extends Construct {
  /** The delivery source (the distribution's ACCESS_LOGS). */
  public readonly source: logs.CfnDeliverySource;
  /** The delivery destination (the bucket). */
  public readonly destination: logs.CfnDeliveryDestination;
  /** The delivery. */
  public readonly delivery: logs.CfnDelivery;

  constructor(scope: Construct, id: string, props: EdgeAccessLogDeliveryProps) {
    super(scope, id);
    const name = (suffix: string) => `${Names.uniqueResourceName(this, { maxLength: 50, separator: '-' })}-${suffix}`;
    this.source = new logs.CfnDeliverySource(this, 'Source', {
      name: name('src'),
      logType: 'ACCESS_LOGS',
      resourceArn: props.distribution.distributionArn,
    });
    this.destination = new logs.CfnDeliveryDestination(this, 'Destination', {
      name: name('dst'),
      destinationResourceArn: props.bucketArn,
      outputFormat: 'w3c',
    });
    this.delivery = new logs.CfnDelivery(this, 'Resource', {
      deliverySourceName: this.source.name,
      deliveryDestinationArn: this.destination.attrArn,
      recordFields: [...EDGE_LOG_FIELDS],
    });
    this.delivery.addResourceDependency(this.source);
  }
}
