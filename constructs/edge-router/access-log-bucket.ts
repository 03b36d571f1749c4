import { Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { SECURE_BUCKET } from '../secure-bucket';
import { STATEFUL_REMOVAL_POLICY } from '../removal-policy';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { S3_ACCESS_LOGGING_FINDINGS, S3_REPLICATION_FINDINGS, acknowledge } from '../acknowledge';
import { RealmKey } from '../realm-key';

/** Props of {@link EdgeAccessLogBucket}. */
export interface EdgeAccessLogBucketProps {
  /** The Atlassian app key (names the bucket key's alias). */
  readonly appKey: string;
  /** The bucket's name, fixed so the edge stack can name it without a cross-region reference. */
  readonly bucketName: string;
  /** How long access logs are kept. */
  readonly retention: Duration;
  /**
   * What happens to the bucket and its key when they leave the stack.
   * @default STATEFUL_REMOVAL_POLICY (kept on update and delete, removed when a first create rolls back)
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The bucket that receives the global edge's CloudFront access logs, in the region the
 * config names (`edge.logRegion`): SSE-KMS under its own customer managed key, all public
 * access blocked, TLS enforced, versioned, expiring after the retention period. Only
 * CloudWatch Logs' vended-log delivery of this account, for delivery sources in
 * us-east-1 (where CloudFront's are), may write to it.
 */
export class EdgeAccessLogBucket extends Construct {
  /** The bucket. */
  public readonly bucket: s3.Bucket;
  /** The key that encrypts it. */
  public readonly key: RealmKey;

  constructor(scope: Construct, id: string, props: EdgeAccessLogBucketProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? STATEFUL_REMOVAL_POLICY;
    const sourceArn = `arn:${Aws.PARTITION}:logs:us-east-1:${Aws.ACCOUNT_ID}:delivery-source:*`;
    const fromDelivery = { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID }, ArnLike: { 'aws:SourceArn': sourceArn } };
    this.key = new RealmKey(this, 'Key', { appKey: props.appKey, realms: ['edge-logs'], removalPolicy });
    this.key.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowVendedLogDeliveryOfThisAccount',
        principals: [new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
        resources: ['*'],
        conditions: fromDelivery,
      }),
    );
    this.bucket = new s3.Bucket(this, 'Resource', {
      bucketName: props.bucketName,
      ...SECURE_BUCKET,
      encryptionKey: this.key.key,
      removalPolicy,
      lifecycleRules: [{ expiration: props.retention, noncurrentVersionExpiration: Duration.days(1) }],
    });
    // The statements CloudWatch Logs' S3 delivery documents (and appends itself when missing, which a later deploy of
    // this template would strip): write under AWSLogs/<account>/ with the owner ACL, and check the bucket's ACL.
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AWSLogDeliveryWrite',
        principals: [new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(`AWSLogs/${Aws.ACCOUNT_ID}/*`)],
        conditions: { ...fromDelivery, StringEquals: { ...fromDelivery.StringEquals, 's3:x-amz-acl': 'bucket-owner-full-control' } },
      }),
    );
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AWSLogDeliveryAclCheck',
        principals: [new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
        // ListBucket too: without it the delivery's existence checks show as AccessDenied in CloudTrail.
        actions: ['s3:GetBucketAcl', 's3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: fromDelivery,
      }),
    );
    const cfn = this.bucket.node.defaultChild as s3.CfnBucket;
    cfn.notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
    acknowledge(
      cfn,
      'This bucket is the destination of the edge access logs; logging access to it in itself would recurse. Reads are ' +
        'limited by IAM and recorded by CloudTrail; writes come only from vended-log delivery of this account.',
      ...S3_ACCESS_LOGGING_FINDINGS,
    );
    acknowledge(
      cfn,
      `Replication would copy request logs out of ${Stack.of(this).region}, the region the config chose for them. They are ` +
        'kept in-region under a CMK, versioned, and expire after the log retention period.',
      ...S3_REPLICATION_FINDINGS,
    );
    acknowledge(
      cfn,
      'Object Lock would keep log objects past their retention period and block erasure requests. Integrity is kept by ' +
        'versioning, the CMK, a TLS-only policy and a bucket policy that admits only vended-log delivery of this account.',
      'cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check',
    );
  }
}
