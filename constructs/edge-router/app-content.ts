import { Aws, Duration, Stack } from 'aws-cdk-lib';
import { SECURE_BUCKET } from '../secure-bucket';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { S3_ACCESS_LOGGING_FINDINGS, S3_REPLICATION_FINDINGS, acknowledge } from '../acknowledge';
import { RealmKey } from '../realm-key';
import { RealmLogGroup } from '../realm-log-group';
import { STATEFUL_REMOVAL_POLICY } from '../removal-policy';
import { EDGE_CONTENT_PATHS } from './origin-paths';

/** Props of {@link EdgeAppContent}. */
export interface EdgeAppContentProps {
  /** The Atlassian app key (names the bucket key's alias). */
  readonly appKey: string;
  /** The bucket's name, fixed so the distribution can name its origin without depending on the bucket (see {@link EdgeAppContent}). */
  readonly bucketName: string;
  /** The Connect descriptor served at `/atlassian-connect.json`, as JSON data. */
  readonly connectDescriptor: unknown;
  /**
   * A local folder whose files are served under `/static/` (the assets of the app's Connect iframes).
   * @default - no static assets
   */
  readonly staticDir?: string;
  /** How long the deployment function's log events are kept. */
  readonly logRetention: logs.RetentionDays;
}

/**
 * The edge's content origin: a bucket in the edge's region holding only public app content
 * (the Connect descriptor and the vendor's static assets, never tenant data), SSE-KMS under
 * its own customer managed key, all public access blocked, TLS enforced, versioned, filled
 * at deploy time by two `BucketDeployment`s, and readable only by one distribution through
 * origin access control ({@link allowReadsFrom}).
 *
 * Why a fixed name: the key policy must name the distribution (`aws:SourceArn`), and the
 * distribution's origin would otherwise reference the bucket, which references the key, a
 * cycle. CDK's `S3BucketOrigin.withOriginAccessControl` breaks it with a wildcard
 * (`distribution/*` of the account); here the origin names the bucket by its name alone, so
 * the key and bucket policies can name the exact distribution.
 */
export class EdgeAppContent extends Construct {
  /** The bucket. */
  public readonly bucket: s3.Bucket;
  /** The key that encrypts it. */
  public readonly key: RealmKey;
  /** The origin access control CloudFront signs its requests to the bucket with (SigV4, always). */
  public readonly originAccessControl: cloudfront.S3OriginAccessControl;
  /** The distribution origin of the bucket, by name, signed with {@link originAccessControl}. */
  public readonly origin: cloudfront.IOrigin;

  constructor(scope: Construct, id: string, props: EdgeAppContentProps) {
    super(scope, id);
    const region = Stack.of(this).region;
    this.key = new RealmKey(this, 'Key', { appKey: props.appKey, realms: ['edge-content'] });
    this.bucket = new s3.Bucket(this, 'Resource', {
      bucketName: props.bucketName,
      ...SECURE_BUCKET,
      encryptionKey: this.key.key,
      removalPolicy: STATEFUL_REMOVAL_POLICY,
      // Every deploy rewrites the content; old versions are kept a week for a rollback by hand.
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(7) }],
    });
    // EventBridge notifications: every write (only deploys write) shows as an event an operator can alert on.
    (this.bucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
    this.originAccessControl = new cloudfront.S3OriginAccessControl(this, 'OriginAccessControl', {
      description: `cdk-residency: CloudFront reads of ${props.bucketName}`,
      signing: cloudfront.Signing.SIGV4_ALWAYS,
    });
    this.origin = new NamedBucketOrigin(`${props.bucketName}.s3.${region}.${Aws.URL_SUFFIX}`, this.originAccessControl);

    const logGroup = new RealmLogGroup(this, 'DeploymentLogs', { encryptionKey: this.key.key, retention: props.logRetention });
    const descriptorKey = EDGE_CONTENT_PATHS.descriptor.slice(1);
    const staticPrefix = EDGE_CONTENT_PATHS.staticPrefix.slice(1);
    const descriptor = new s3deploy.BucketDeployment(this, 'Descriptor', {
      sources: [s3deploy.Source.jsonData(descriptorKey, props.connectDescriptor)],
      destinationBucket: this.bucket,
      // Prune the root, but leave the static assets to their own deployment.
      exclude: [`${staticPrefix}*`],
      contentType: 'application/json',
      logGroup: logGroup.logGroup,
      outputObjectKeys: false,
    });
    const deployments = [descriptor];
    if (props.staticDir !== undefined) {
      deployments.push(
        new s3deploy.BucketDeployment(this, 'Static', {
          sources: [s3deploy.Source.asset(props.staticDir)],
          destinationBucket: this.bucket,
          destinationKeyPrefix: staticPrefix,
          logGroup: logGroup.logGroup,
          outputObjectKeys: false,
        }),
      );
    }
    this.acknowledgeFindings(deployments);
  }

  /**
   * Lets `distribution`, and no other, read the content through origin access control: `s3:GetObject`
   * in the bucket policy and `kms:Decrypt` in the key policy, each on `aws:SourceArn` = its ARN.
   */
  public allowReadsFrom(distribution: cloudfront.IDistribution): void {
    const fromDistribution = { StringEquals: { 'AWS:SourceArn': distribution.distributionArn } };
    const cloudFront = new iam.ServicePrincipal('cloudfront.amazonaws.com');
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({ sid: 'AllowDistributionReads', principals: [cloudFront], actions: ['s3:GetObject'], resources: [this.bucket.arnForObjects('*')], conditions: fromDistribution }),
    );
    this.key.key.addToResourcePolicy(
      new iam.PolicyStatement({ sid: 'AllowDistributionDecrypt', principals: [cloudFront], actions: ['kms:Decrypt'], resources: ['*'], conditions: fromDistribution }),
    );
  }

  private acknowledgeFindings(deployments: readonly s3deploy.BucketDeployment[]): void {
    const bucket = this.bucket.node.defaultChild!;
    acknowledge(
      bucket,
      'Its only reader is the edge distribution (origin access control, aws:SourceArn in the bucket and key policies), whose ' +
        'standard logging v2 records every viewer request for this content; its only writer is the deployment function at deploy ' +
        'time, recorded by CloudFormation and CloudTrail. Server access logs would repeat those records for public app content.',
      ...S3_ACCESS_LOGGING_FINDINGS,
    );
    acknowledge(
      bucket,
      'The bucket holds generated, public app content (the Connect descriptor and static assets), rebuilt from source on every ' +
        'deploy; a replica would add a copy to keep in step and nothing to recover. Versioning keeps a week of old versions.',
      ...S3_REPLICATION_FINDINGS,
    );
    acknowledge(
      bucket,
      'Object Lock would keep stale descriptors and assets that every deploy must be able to replace and prune. Integrity is kept ' +
        'by versioning, the CMK, a TLS-only policy and a bucket policy that lets only this distribution read.',
      'cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check',
    );
    // BucketDeployment's one handler per stack (a SingletonFunction at stack scope), named by its fixed prefix.
    const handler = Stack.of(this)
      .node.children.filter((c): c is lambda.Function => c instanceof lambda.Function && c.node.id.startsWith('Custom::CDKBucketDeployment'))
      .filter((f) => deployments.some((d) => d.handlerRole === f.role));
    for (const fn of handler) this.acknowledgeDeploymentFunction(fn);
  }

  private acknowledgeDeploymentFunction(fn: lambda.Function): void {
    const role = fn.role!.node.defaultChild!;
    const policy = fn.role!.node.findChild('DefaultPolicy').node.defaultChild!;
    acknowledge(
      role,
      'AWSLambdaBasicExecutionRole only lets the deployment function write its own CloudWatch log events; it is the policy ' +
        'aws-cdk-lib attaches to the BucketDeployment handler, which runs only while CloudFormation deploys this stack.',
      'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    );
    acknowledge(
      policy,
      'The BucketDeployment handler reads the staged content from the CDK assets bucket (objects of this account only) and syncs ' +
        'it into the edge content bucket, deleting stale objects: the S3 and KMS grants aws-cdk-lib makes for that, limited to those ' +
        'two buckets and the content key. The bucket holds public app content only, no tenant data.',
      'AwsSolutions::AwsSolutions-IAM5[Action::s3:GetBucket*]',
      'AwsSolutions::AwsSolutions-IAM5[Action::s3:GetObject*]',
      'AwsSolutions::AwsSolutions-IAM5[Action::s3:List*]',
      'AwsSolutions::AwsSolutions-IAM5[Action::s3:Abort*]',
      'AwsSolutions::AwsSolutions-IAM5[Action::s3:DeleteObject*]',
      `AwsSolutions::AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/*]`,
      `AwsSolutions::AwsSolutions-IAM5[Resource::arn:aws:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-${Stack.of(this).region}/*]`,
      // The same bucket as an app without the cdk.json feature flags renders it, with the partition as a token.
      `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-${Stack.of(this).region}/*]`,
      'AwsSolutions::AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      'AwsSolutions::AwsSolutions-IAM5[Action::kms:ReEncrypt*]',
    );
    acknowledge(
      policy,
      'The policy is the BucketDeployment role\'s own default policy, created and attached with that role by aws-cdk-lib, and ' +
        'used by nothing else; a managed policy would only move the same statements out of the stack that owns them.',
      'HIPAA.Security::HIPAA.Security-IAMNoInlinePolicy',
      'NIST.800.53.R5::NIST.800.53.R5-IAMNoInlinePolicy',
      'PCI.DSS.321::PCI.DSS.321-IAMNoInlinePolicy',
    );
    const resource = fn.node.defaultChild!;
    acknowledge(
      resource,
      'The BucketDeployment handler runs the Python runtime aws-cdk-lib pins for its bundled AWS CLI layer; the runtime moves ' +
        'with aws-cdk-lib upgrades, and the function runs only as a CloudFormation custom resource during deploys.',
      'AwsSolutions::AwsSolutions-L1',
      'Serverless::Serverless-LambdaLatestVersion',
    );
    acknowledge(
      resource,
      'The function is invoked only by CloudFormation, once per content deployment; a failed copy fails the custom resource and ' +
        'rolls the stack back, so there is no event to keep in a dead-letter queue and no concurrency to cap.',
      'HIPAA.Security::HIPAA.Security-LambdaConcurrency',
      'NIST.800.53.R5::NIST.800.53.R5-LambdaConcurrency',
      'HIPAA.Security::HIPAA.Security-LambdaDLQ',
      'NIST.800.53.R5::NIST.800.53.R5-LambdaDLQ',
      'Serverless::Serverless-LambdaDLQ',
    );
    acknowledge(
      resource,
      'It holds no tenant data and needs only S3 and KMS in this region; a VPC would add NAT or endpoints to the global edge for ' +
        'a deploy-time copy of public app content. Its role limits it to the assets bucket, the content bucket and the content key.',
      'HIPAA.Security::HIPAA.Security-LambdaInsideVPC',
      'NIST.800.53.R5::NIST.800.53.R5-LambdaInsideVPC',
      'PCI.DSS.321::PCI.DSS.321-LambdaInsideVPC',
      'cdk-validator-cfnguard::lambda_inside_vpc_check',
    );
    acknowledge(
      resource,
      'A deploy-time copy with one S3 sync per run: CloudFormation events and the function\'s own CMK-encrypted log group record ' +
        'each run, and X-Ray traces would show nothing an operator needs.',
      'Serverless::Serverless-LambdaTracing',
    );
  }
}

// S3BucketOriginWithOAC's origin settings, without its policy grants: the bucket is named, not referenced.
class NamedBucketOrigin extends cloudfront.OriginBase {
  constructor(
    domainName: string,
    private readonly originAccessControl: cloudfront.IOriginAccessControl,
  ) {
    super(domainName);
  }

  public bind(scope: Construct, options: cloudfront.OriginBindOptions): cloudfront.OriginBindConfig {
    const config = super.bind(scope, options);
    return { ...config, originProperty: { ...config.originProperty!, originAccessControlId: this.originAccessControl.originAccessControlId } };
  }

  protected renderS3OriginConfig(): cloudfront.CfnDistribution.S3OriginConfigProperty {
    return { originAccessIdentity: '' };
  }
}
