import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { SECURE_BUCKET } from '../secure-bucket';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { STATEFUL_REMOVAL_POLICY } from '../removal-policy';
import { S3_REPLICATION_FINDINGS, acknowledge } from '../acknowledge';

/** Props of {@link DataBucket}. */
export interface DataBucketProps {
  /** The realm key that encrypts objects and access logs. */
  readonly encryptionKey: kms.IKey;
  /**
   * A fixed name for the data bucket, for a bucket that functions in other regions reach by name (migrations).
   * @default - a name CloudFormation generates
   */
  readonly bucketName?: string;
  /** How long server access logs are kept. */
  readonly accessLogRetention: Duration;
  /**
   * How long overwritten or deleted object versions stay recoverable. Keep it equal
   * to the backup retention, so erasure completes when the last backup expires.
   */
  readonly noncurrentVersionRetention: Duration;
  /**
   * What happens to the buckets when they leave the stack.
   * @default STATEFUL_REMOVAL_POLICY (kept on update and delete, removed when the first create rolls back)
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Where in the access-log bucket the data bucket's server access logs go. */
const ACCESS_LOG_PREFIX = 'data/';

/**
 * The realm's object storage: SSE-KMS with the realm key and a bucket key, all public
 * access blocked, TLS 1.2+ enforced by policy, versioned, never replicated. Server
 * access logs go to a second bucket in the same region, under the same key.
 */
export class DataBucket extends Construct {
  /** The data bucket. */
  public readonly bucket: s3.Bucket;
  /** The bucket that receives the data bucket's server access logs. */
  public readonly accessLogBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: DataBucketProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? STATEFUL_REMOVAL_POLICY;
    this.accessLogBucket = new s3.Bucket(this, 'AccessLogs', {
      ...SECURE_BUCKET,
      encryptionKey: props.encryptionKey,
      removalPolicy,
      lifecycleRules: [
        { expiration: props.accessLogRetention, noncurrentVersionExpiration: Duration.days(1) },
      ],
    });
    this.bucket = new s3.Bucket(this, 'Resource', {
      ...SECURE_BUCKET,
      bucketName: props.bucketName,
      encryptionKey: props.encryptionKey,
      removalPolicy,
      lifecycleRules: [
        { noncurrentVersionExpiration: props.noncurrentVersionRetention, abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
    });
    const dataCfn = this.bucket.node.defaultChild as s3.CfnBucket;
    const logCfn = this.accessLogBucket.node.defaultChild as s3.CfnBucket;
    // Logging set on the L1: the L2's `serverAccessLogsBucket` also grants logging.s3.amazonaws.com
    // Encrypt/Decrypt on the realm key with no source condition (a confused deputy). The realm key's
    // own statement (aws:SourceAccount) covers the service; the bucket policy names this bucket.
    dataCfn.loggingConfiguration = { destinationBucketName: this.accessLogBucket.bucketName, logFilePrefix: ACCESS_LOG_PREFIX };
    // By bucket policy, not by ACL: ACLs are disabled on both buckets (BUCKET_OWNER_ENFORCED).
    this.accessLogBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowServerAccessLogsOfTheDataBucket',
        principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [this.accessLogBucket.arnForObjects(`${ACCESS_LOG_PREFIX}*`)],
        conditions: { ArnLike: { 'aws:SourceArn': this.bucket.bucketArn }, StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    for (const cfn of [dataCfn, logCfn]) {
      // Set on the L1: the L2 option deploys a notification custom resource (a Lambda) for the same effect.
      cfn.notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
      acknowledge(
        cfn,
        'Replication would copy tenant data out of this region. Recovery is provided in-region instead: versioning, ' +
          'daily AWS Backup recovery points in a CMK-encrypted vault that denies recovery-point deletion.',
        ...S3_REPLICATION_FINDINGS,
      );
    }
    acknowledge(
      dataCfn,
      'Object Lock would block erasure of a tenant\'s objects on uninstall and on GDPR requests. Integrity is kept by ' +
        'versioning, a TLS-only bucket policy, IAM grants to the realm roles only, and a backup vault that denies deletion.',
      'cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check',
    );
    acknowledge(
      logCfn,
      'S3 server access log delivery does not support Object Lock default retention on its target bucket. The logs are ' +
        'protected by versioning, the realm CMK, a TLS-only policy and a bucket policy that admits only the logging service.',
      'cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check',
    );
    acknowledge(
      logCfn,
      'This bucket is the server access log destination of the data bucket; logging its own access would recurse. ' +
        'Reads of it are limited by IAM and recorded by CloudTrail management events.',
      'cdk-validator-cfnguard::s3_bucket_logging_enabled_check',
    );
  }

  /** Lets `grantee` read objects. */
  public grantRead(grantee: iam.IGrantable, objectsKeyPattern?: string): iam.Grant {
    return this.bucket.grantRead(grantee, objectsKeyPattern);
  }

  /** Lets `grantee` read, write and delete objects. */
  public grantReadWrite(grantee: iam.IGrantable, objectsKeyPattern?: string): iam.Grant {
    return this.bucket.grantReadWrite(grantee, objectsKeyPattern);
  }
}
