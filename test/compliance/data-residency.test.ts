import { Aws, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { DataResidencyChecks } from '../../lib/compliance/data-residency/pack';
import { findingsOf, realmStack, testApp } from './pack-findings';

// cdk-nag's rule tests: one stack per case, the pack validates it, the case's rule is asserted.
const pack = () => new DataResidencyChecks();
const partitionKey = { name: 'pk', type: dynamodb.AttributeType.STRING };
const pitr = { pointInTimeRecoveryEnabled: true };
const inline = () => ({ runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}') });

describe('DataResidency-StatefulResourceHasRealm', () => {
  it('refuses a store in a stack that records no realm', () => {
    const app = testApp();
    new sqs.Queue(new Stack(app, 'NoRealm', { env: { region: 'eu-central-1' } }), 'Queue');
    expect(findingsOf(app, pack(), 'StatefulResourceHasRealm')).toEqual([{ id: 'DataResidency-StatefulResourceHasRealm', path: 'NoRealm/Queue/Resource' }]);
  });

  it('accepts a store in a stack tagged with its realm, and a stack without stores', () => {
    const app = testApp();
    new sqs.Queue(realmStack(app, 'Eu', 'eu-central-1', 'EU'), 'Queue');
    new iam.Role(new Stack(app, 'Roles'), 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    expect(findingsOf(app, pack(), 'StatefulResourceHasRealm')).toEqual([]);
  });
});

describe('DataResidency-StatefulResourceInJurisdiction', () => {
  it("refuses a store in a region outside the realm's jurisdiction (London is not EU)", () => {
    const app = testApp();
    new dynamodb.Table(realmStack(app, 'Eu', 'eu-west-2', 'EU'), 'Table', { partitionKey });
    expect(findingsOf(app, pack(), 'StatefulResourceInJurisdiction').map((f) => f.path)).toEqual(['Eu/Table/Resource']);
  });

  it('refuses a store in a realm stack without a concrete region', () => {
    const app = testApp();
    new s3.Bucket(realmStack(app, 'Eu', undefined, 'EU'), 'Bucket');
    expect(findingsOf(app, pack(), 'StatefulResourceInJurisdiction').map((f) => f.path)).toEqual(['Eu/Bucket/Resource']);
  });

  it('checks a stack shared by EU and DE against the intersection: Frankfurt only', () => {
    const app = testApp();
    new kms.Key(realmStack(app, 'Dublin', 'eu-west-1', 'EU', 'DE'), 'Key');
    new kms.Key(realmStack(app, 'Frankfurt', 'eu-central-1', 'EU', 'DE'), 'Key');
    expect(findingsOf(app, pack(), 'StatefulResourceInJurisdiction').map((f) => f.path)).toEqual(['Dublin/Key/Resource']);
  });

  it("accepts stores in a region of the realm's jurisdiction", () => {
    const app = testApp();
    new dynamodb.Table(realmStack(app, 'Eu', 'eu-west-1', 'EU'), 'Table', { partitionKey });
    new sqs.Queue(realmStack(app, 'Global', 'ap-south-1', 'Global'), 'Queue');
    expect(findingsOf(app, pack(), 'StatefulResourceInJurisdiction')).toEqual([]);
  });
});

describe('DataResidency-DynamoDBReplicasInJurisdiction', () => {
  it("refuses a global table replica outside the realm's jurisdiction", () => {
    const app = testApp();
    new dynamodb.TableV2(realmStack(app, 'Eu', 'eu-central-1', 'EU'), 'Table', { partitionKey, replicas: [{ region: 'eu-west-1' }, { region: 'us-east-1' }] });
    expect(findingsOf(app, pack(), 'DynamoDBReplicasInJurisdiction')).toEqual([
      { id: 'DataResidency-DynamoDBReplicasInJurisdiction[Region::us-east-1]', path: 'Eu/Table/Resource' },
    ]);
  });

  it("refuses a Table's replicationRegions outside the jurisdiction", () => {
    const app = testApp();
    new dynamodb.Table(realmStack(app, 'Au', 'ap-southeast-2', 'AU'), 'Table', { partitionKey, replicationRegions: ['ap-southeast-1'] });
    expect(findingsOf(app, pack(), 'DynamoDBReplicasInJurisdiction')).toEqual([
      { id: 'DataResidency-DynamoDBReplicasInJurisdiction[Region::ap-southeast-1]', path: 'Au/Table/Replicaap-southeast-1/Default' },
    ]);
  });

  it('accepts replicas inside the jurisdiction', () => {
    const app = testApp();
    new dynamodb.TableV2(realmStack(app, 'Eu', 'eu-central-1', 'EU'), 'Table', { partitionKey, replicas: [{ region: 'eu-west-1' }, { region: 'eu-north-1' }] });
    new dynamodb.Table(realmStack(app, 'Au', 'ap-southeast-2', 'AU'), 'Table', { partitionKey, replicationRegions: ['ap-southeast-4'] });
    expect(findingsOf(app, pack(), 'DynamoDBReplicasInJurisdiction')).toEqual([]);
  });
});

describe('DataResidency-DynamoDBGlobalTablePITR', () => {
  it('refuses a global table without point-in-time recovery', () => {
    const app = testApp();
    new dynamodb.TableV2(realmStack(app, 'Eu', 'eu-central-1', 'EU'), 'Table', { partitionKey });
    expect(findingsOf(app, pack(), 'DynamoDBGlobalTablePITR').map((f) => f.path)).toEqual(['Eu/Table/Resource']);
  });

  it('accepts a global table with point-in-time recovery on every replica', () => {
    const app = testApp();
    new dynamodb.TableV2(realmStack(app, 'Eu', 'eu-central-1', 'EU'), 'Table', {
      partitionKey,
      pointInTimeRecoverySpecification: pitr,
      replicas: [{ region: 'eu-west-1' }],
    });
    expect(findingsOf(app, pack(), 'DynamoDBGlobalTablePITR')).toEqual([]);
  });
});

describe('DataResidency-DynamoDBGlobalTableCMK', () => {
  it('refuses a global table under the AWS owned key', () => {
    const app = testApp();
    new dynamodb.TableV2(realmStack(app, 'Eu', 'eu-central-1', 'EU'), 'Table', { partitionKey, pointInTimeRecoverySpecification: pitr });
    expect(findingsOf(app, pack(), 'DynamoDBGlobalTableCMK').map((f) => f.path)).toEqual(['Eu/Table/Resource']);
  });

  it('refuses a global table under the AWS managed key', () => {
    const app = testApp();
    new dynamodb.TableV2(realmStack(app, 'Eu', 'eu-central-1', 'EU'), 'Table', { partitionKey, encryption: dynamodb.TableEncryptionV2.awsManagedKey() });
    expect(findingsOf(app, pack(), 'DynamoDBGlobalTableCMK').map((f) => f.path)).toEqual(['Eu/Table/Resource']);
  });

  it('accepts a global table under a customer managed key', () => {
    const app = testApp();
    const stack = realmStack(app, 'Eu', 'eu-central-1', 'EU');
    new dynamodb.TableV2(stack, 'Table', { partitionKey, encryption: dynamodb.TableEncryptionV2.customerManagedKey(new kms.Key(stack, 'Key')) });
    expect(findingsOf(app, pack(), 'DynamoDBGlobalTableCMK')).toEqual([]);
  });
});

describe('DataResidency-KMSKeyNotMultiRegion', () => {
  it('refuses a multi-Region key and a replica key', () => {
    const app = testApp();
    const stack = realmStack(app, 'Eu', 'eu-central-1', 'EU');
    new kms.Key(stack, 'Multi', { multiRegion: true });
    new kms.CfnReplicaKey(stack, 'Replica', {
      primaryKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/mrk-0123456789abcdef0123456789abcdef',
      keyPolicy: { Version: '2012-10-17', Statement: [] },
    });
    expect(findingsOf(app, pack(), 'KMSKeyNotMultiRegion').map((f) => f.path)).toEqual(['Eu/Multi/Resource', 'Eu/Replica']);
  });

  it('accepts a single-Region key', () => {
    const app = testApp();
    new kms.Key(realmStack(app, 'Eu', 'eu-central-1', 'EU'), 'Key', { enableKeyRotation: true });
    expect(findingsOf(app, pack(), 'KMSKeyNotMultiRegion')).toEqual([]);
  });
});

describe('DataResidency-SecretReplicasInJurisdiction', () => {
  it("refuses a secret replicated outside the realm's jurisdiction", () => {
    const app = testApp();
    new secretsmanager.Secret(realmStack(app, 'Ch', 'eu-central-2', 'CH'), 'Secret', { replicaRegions: [{ region: 'eu-central-1' }] });
    expect(findingsOf(app, pack(), 'SecretReplicasInJurisdiction')).toEqual([
      { id: 'DataResidency-SecretReplicasInJurisdiction[Region::eu-central-1]', path: 'Ch/Secret/Resource' },
    ]);
  });

  it('accepts a secret replicated inside the jurisdiction', () => {
    const app = testApp();
    new secretsmanager.Secret(realmStack(app, 'Us', 'us-east-1', 'US'), 'Secret', { replicaRegions: [{ region: 'us-west-2' }] });
    expect(findingsOf(app, pack(), 'SecretReplicasInJurisdiction')).toEqual([]);
  });
});

describe('DataResidency-S3ReplicationInJurisdiction', () => {
  function replicating(to: (app: ReturnType<typeof testApp>, eu: Stack) => s3.IBucket) {
    const app = testApp();
    const eu = realmStack(app, 'Eu', 'eu-central-1', 'EU');
    new s3.Bucket(eu, 'Source', { versioned: true, replicationRules: [{ destination: to(app, eu), priority: 1 }] });
    return findingsOf(app, pack(), 'S3ReplicationInJurisdiction');
  }

  it('refuses replication to a bucket of a stack in another jurisdiction (a cross-region reference)', () => {
    const f = replicating((app) => new s3.Bucket(realmStack(app, 'Us', 'us-east-1', 'US'), 'Replica', { versioned: true }));
    expect(f).toEqual([{ id: expect.stringMatching(/^DataResidency-S3ReplicationInJurisdiction\[Destination::<Replica\w+\.Arn>::us-east-1\]$/), path: 'Eu/Source/Resource' }]);
  });

  it('refuses replication to a bucket named by its name, found in a stack in another jurisdiction', () => {
    const f = replicating((app, eu) => {
      new s3.Bucket(realmStack(app, 'Us', 'us-east-1', 'US'), 'Replica', { bucketName: 'acme-us-replica', versioned: true });
      return s3.Bucket.fromBucketName(eu, 'Imported', 'acme-us-replica');
    });
    expect(f).toEqual([{ id: 'DataResidency-S3ReplicationInJurisdiction[Destination::arn:aws:s3:::acme-us-replica::us-east-1]', path: 'Eu/Source/Resource' }]);
  });

  it('refuses replication to a bucket this app does not define: an S3 ARN has no region to prove', () => {
    const f = replicating((_, eu) => s3.Bucket.fromBucketName(eu, 'Elsewhere', 'somebody-elses-bucket'));
    expect(f).toEqual([{ id: 'DataResidency-S3ReplicationInJurisdiction[Destination::arn:aws:s3:::somebody-elses-bucket::unresolved]', path: 'Eu/Source/Resource' }]);
  });

  it('accepts replication to a bucket in another region of the jurisdiction', () => {
    expect(replicating((app) => new s3.Bucket(realmStack(app, 'Dublin', 'eu-west-1', 'EU'), 'Replica', { versioned: true }))).toEqual([]);
  });
});

describe('DataResidency-BackupCopyInJurisdiction', () => {
  it('refuses a copy action to a vault in another region, and to a vault whose ARN is a parameter', () => {
    const app = testApp();
    const stack = realmStack(app, 'Au', 'ap-southeast-2', 'AU');
    const vault = new backup.BackupVault(stack, 'Vault');
    const away = backup.BackupVault.fromBackupVaultArn(stack, 'Away', 'arn:aws:backup:us-west-2:123456789012:backup-vault:away');
    const param = backup.BackupVault.fromBackupVaultArn(stack, 'Param', new CfnParameter(stack, 'VaultArn').valueAsString);
    new backup.BackupPlan(stack, 'Plan', {
      backupVault: vault,
      backupPlanRules: [new backup.BackupPlanRule({ ruleName: 'Daily', copyActions: [{ destinationBackupVault: away }, { destinationBackupVault: param }] })],
    });
    expect(findingsOf(app, pack(), 'BackupCopyInJurisdiction').map((f) => f.id)).toEqual([
      'DataResidency-BackupCopyInJurisdiction[Vault::arn:aws:backup:us-west-2:123456789012:backup-vault:away::us-west-2]',
      'DataResidency-BackupCopyInJurisdiction[Vault::<VaultArn.Ref>::unresolved]',
    ]);
  });

  it('accepts a copy action to a vault in the jurisdiction', () => {
    const app = testApp();
    const stack = realmStack(app, 'Au', 'ap-southeast-2', 'AU');
    const melbourne = new backup.BackupVault(realmStack(app, 'Melbourne', 'ap-southeast-4', 'AU'), 'Vault');
    new backup.BackupPlan(stack, 'Plan', {
      backupVault: new backup.BackupVault(stack, 'Vault'),
      backupPlanRules: [new backup.BackupPlanRule({ ruleName: 'Daily', copyActions: [{ destinationBackupVault: melbourne, moveToColdStorageAfter: Duration.days(30) }] })],
    });
    expect(findingsOf(app, pack(), 'BackupCopyInJurisdiction')).toEqual([]);
  });
});

describe('DataResidency-LogSubscriptionInJurisdiction', () => {
  it('refuses subscriptions, account policies and log deliveries sending events out of the jurisdiction', () => {
    const app = testApp();
    const stack = realmStack(app, 'Jp', 'ap-northeast-1', 'JP');
    new logs.CfnSubscriptionFilter(stack, 'Filter', {
      logGroupName: new logs.LogGroup(stack, 'Logs').logGroupName,
      filterPattern: '',
      destinationArn: 'arn:aws:kinesis:us-east-1:123456789012:stream/central',
    });
    new logs.CfnAccountPolicy(stack, 'Account', {
      policyName: 'everything',
      policyType: 'SUBSCRIPTION_FILTER_POLICY',
      policyDocument: JSON.stringify({ DestinationArn: 'arn:aws:firehose:eu-west-1:123456789012:deliverystream/all', FilterPattern: '' }),
    });
    new logs.CfnDeliveryDestination(stack, 'Delivery', { name: 'to-s3', destinationResourceArn: 'arn:aws:s3:::central-logs' });
    expect(findingsOf(app, pack(), 'LogSubscriptionInJurisdiction')).toEqual([
      { id: 'DataResidency-LogSubscriptionInJurisdiction[Destination::arn:aws:kinesis:us-east-1:123456789012:stream/central::us-east-1]', path: 'Jp/Filter' },
      { id: 'DataResidency-LogSubscriptionInJurisdiction[Destination::arn:aws:firehose:eu-west-1:123456789012:deliverystream/all::eu-west-1]', path: 'Jp/Account' },
      { id: 'DataResidency-LogSubscriptionInJurisdiction[Destination::arn:aws:s3:::central-logs::unresolved]', path: 'Jp/Delivery' },
    ]);
  });

  it('accepts a subscription filter to a stream of the same stack', () => {
    const app = testApp();
    const stack = realmStack(app, 'Jp', 'ap-northeast-1', 'JP');
    new logs.CfnSubscriptionFilter(stack, 'Filter', {
      logGroupName: new logs.LogGroup(stack, 'Logs').logGroupName,
      filterPattern: '',
      destinationArn: new kinesis.Stream(stack, 'Stream').streamArn,
    });
    expect(findingsOf(app, pack(), 'LogSubscriptionInJurisdiction')).toEqual([]);
  });
});

describe('DataResidency-FirehoseDestinationInJurisdiction', () => {
  it('refuses delivery to a bucket in another jurisdiction and to an HTTP endpoint outside AWS', () => {
    const app = testApp();
    const stack = realmStack(app, 'Ca', 'ca-central-1', 'CA');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com') });
    const us = new s3.Bucket(realmStack(app, 'Us', 'us-east-1', 'US'), 'Sink');
    new firehose.CfnDeliveryStream(stack, 'ToUs', { extendedS3DestinationConfiguration: { bucketArn: us.bucketArn, roleArn: role.roleArn } });
    new firehose.CfnDeliveryStream(stack, 'ToHttp', {
      httpEndpointDestinationConfiguration: {
        endpointConfiguration: { url: 'https://collector.example.com' },
        roleArn: role.roleArn,
        s3Configuration: { bucketArn: new s3.Bucket(stack, 'Backup').bucketArn, roleArn: role.roleArn },
      },
    });
    expect(findingsOf(app, pack(), 'FirehoseDestinationInJurisdiction')).toEqual([
      { id: expect.stringMatching(/^DataResidency-FirehoseDestinationInJurisdiction\[Destination::<Sink\w+\.Arn>::us-east-1\]$/), path: 'Ca/ToUs' },
      { id: 'DataResidency-FirehoseDestinationInJurisdiction[Destination::HttpEndpoint::external]', path: 'Ca/ToHttp' },
    ]);
  });

  it('accepts delivery to a bucket in the jurisdiction', () => {
    const app = testApp();
    const stack = realmStack(app, 'Ca', 'ca-central-1', 'CA');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com') });
    const calgary = new s3.Bucket(realmStack(app, 'Calgary', 'ca-west-1', 'CA'), 'Sink');
    new firehose.CfnDeliveryStream(stack, 'Stream', { extendedS3DestinationConfiguration: { bucketArn: calgary.bucketArn, roleArn: role.roleArn } });
    expect(findingsOf(app, pack(), 'FirehoseDestinationInJurisdiction')).toEqual([]);
  });
});

describe('DataResidency-KinesisDestinationInJurisdiction', () => {
  it('refuses streaming item changes to a Kinesis stream in another region', () => {
    const app = testApp();
    const stack = realmStack(app, 'In', 'ap-south-1', 'IN');
    const stream = kinesis.Stream.fromStreamArn(stack, 'Away', 'arn:aws:kinesis:ap-southeast-1:123456789012:stream/changes');
    new dynamodb.Table(stack, 'Table', { partitionKey, kinesisStream: stream });
    expect(findingsOf(app, pack(), 'KinesisDestinationInJurisdiction').map((f) => f.id)).toEqual([
      'DataResidency-KinesisDestinationInJurisdiction[Stream::arn:aws:kinesis:ap-southeast-1:123456789012:stream/changes::ap-southeast-1]',
    ]);
  });

  it('accepts streaming to a stream of the same stack', () => {
    const app = testApp();
    const stack = realmStack(app, 'In', 'ap-south-1', 'IN');
    new dynamodb.Table(stack, 'Table', { partitionKey, kinesisStream: new kinesis.Stream(stack, 'Stream') });
    expect(findingsOf(app, pack(), 'KinesisDestinationInJurisdiction')).toEqual([]);
  });
});

describe('DataResidency-LambdaEnvironmentInJurisdiction', () => {
  it("refuses variables naming another region's stores: by reference, by ARN, by name, or by a value set at deployment", () => {
    const app = testApp();
    const us = realmStack(app, 'Us', 'us-east-1', 'US');
    const usTable = new dynamodb.Table(us, 'Tenants', { partitionKey });
    new s3.Bucket(us, 'Files', { bucketName: 'acme-us-files' });
    const eu = realmStack(app, 'Eu', 'eu-central-1', 'EU');
    new lambda.Function(eu, 'Fn', {
      ...inline(),
      environment: {
        TABLE: usTable.tableName,
        QUEUE_ARN: 'arn:aws:sqs:us-west-2:123456789012:jobs',
        BUCKET: 'acme-us-files',
        FROM_PARAMETER: new CfnParameter(eu, 'Store').valueAsString,
        REGION_NAME: 'eu-central-1',
      },
    });
    expect(findingsOf(app, pack(), 'LambdaEnvironmentInJurisdiction').map((f) => f.id)).toEqual([
      expect.stringMatching(/^DataResidency-LambdaEnvironmentInJurisdiction\[Variable::TABLE::<Tenants\w+\.Ref>::us-east-1\]$/),
      'DataResidency-LambdaEnvironmentInJurisdiction[Variable::QUEUE_ARN::arn:aws:sqs:us-west-2:123456789012:jobs::us-west-2]',
      'DataResidency-LambdaEnvironmentInJurisdiction[Variable::BUCKET::acme-us-files::us-east-1]',
      'DataResidency-LambdaEnvironmentInJurisdiction[Variable::FROM_PARAMETER::<Store.Ref>::unresolved]',
    ]);
  });

  it('accepts variables naming stores of its own stack and of its jurisdiction', () => {
    const app = testApp();
    const dublin = new dynamodb.Table(realmStack(app, 'Dublin', 'eu-west-1', 'EU'), 'Tenants', { partitionKey });
    const eu = realmStack(app, 'Eu', 'eu-central-1', 'EU');
    const table = new dynamodb.Table(eu, 'Tenants', { partitionKey });
    new lambda.Function(eu, 'Fn', { ...inline(), environment: { TABLE: table.tableName, ARN: table.tableArn, DUBLIN: dublin.tableArn, MODE: 'strict' } });
    expect(findingsOf(app, pack(), 'LambdaEnvironmentInJurisdiction')).toEqual([]);
  });
});

describe('DataResidency-IAMPolicyInJurisdiction', () => {
  it('refuses statements allowing access to stores in other regions, any region, or a bucket outside the app', () => {
    const app = testApp();
    const stack = realmStack(app, 'Gb', 'eu-west-2', 'GB');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['dynamodb:GetItem'], resources: ['arn:aws:dynamodb:*:123456789012:table/tenants'] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::not-in-this-app/*'] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['sqs:*'], resources: ['arn:aws:sqs:us-east-1:123456789012:x'] }));
    expect(findingsOf(app, pack(), 'IAMPolicyInJurisdiction').map((f) => f.id)).toEqual([
      'DataResidency-IAMPolicyInJurisdiction[Resource::arn:aws:dynamodb:*:123456789012:table/tenants::*]',
      'DataResidency-IAMPolicyInJurisdiction[Resource::arn:aws:s3:::not-in-this-app/*::unresolved]',
    ]);
  });

  it("accepts grants on stores of its own stack, and any commercial region for Global's unpinned data", () => {
    const app = testApp();
    const stack = realmStack(app, 'Gb', 'eu-west-2', 'GB');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    new dynamodb.Table(stack, 'Tenants', { partitionKey }).grantReadWriteData(role);
    new s3.Bucket(stack, 'Files').grantRead(role);
    const global = realmStack(app, 'Global', 'us-east-1', 'Global');
    new iam.Role(global, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }).addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['dynamodb:GetItem'], resources: ['arn:aws:dynamodb:*:123456789012:table/tenants'] }),
    );
    expect(findingsOf(app, pack(), 'IAMPolicyInJurisdiction')).toEqual([]);
  });
});

describe('DataResidency-IAMPolicyInJurisdiction on buckets named with the account id', () => {
  // Fixed names that hold the account id (one account for the app) are still one bucket of the app.
  const named = (app: ReturnType<typeof testApp>) => {
    const eu = realmStack(app, 'Eu', 'eu-central-1', 'EU');
    const us = realmStack(app, 'Us', 'us-east-2', 'US');
    new s3.Bucket(eu, 'EuData', { bucketName: `demo-eu-data-${Aws.ACCOUNT_ID}-eu-central-1` });
    new s3.Bucket(us, 'UsData', { bucketName: `demo-us-data-${Aws.ACCOUNT_ID}-us-east-2` });
    return { eu, role: new iam.Role(eu, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }) };
  };

  it("places a bucket of another stack, found by its name, in that stack's region", () => {
    const app = testApp();
    const { role } = named(app);
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [`arn:${Aws.PARTITION}:s3:::demo-us-data-${Aws.ACCOUNT_ID}-us-east-2/*`] }));
    expect(findingsOf(app, pack(), 'IAMPolicyInJurisdiction').map((f) => f.id)).toEqual([
      'DataResidency-IAMPolicyInJurisdiction[Resource::arn:aws:s3:::demo-us-data-<AWS::AccountId>-us-east-2/*::us-east-2]',
    ]);
  });

  it('accepts its own bucket by name, and still refuses a name with another unknown part', () => {
    const app = testApp();
    const { role } = named(app);
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`arn:${Aws.PARTITION}:s3:::demo-eu-data-${Aws.ACCOUNT_ID}-eu-central-1/*`] }));
    expect(findingsOf(app, pack(), 'IAMPolicyInJurisdiction')).toEqual([]);
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`arn:${Aws.PARTITION}:s3:::demo-${Aws.STACK_NAME}-data/*`] }));
    expect(findingsOf(app, pack(), 'IAMPolicyInJurisdiction').map((f) => f.id)).toEqual([
      'DataResidency-IAMPolicyInJurisdiction[Resource::arn:aws:s3:::demo-<AWS::StackName>-data/*::unresolved]',
    ]);
  });
});

describe('DataResidencyChecks on stacks without a realm', () => {
  it('reports only the missing realm: nothing else can be checked without a jurisdiction', () => {
    const app = testApp();
    new dynamodb.TableV2(new Stack(app, 'Loose', { env: { region: 'us-east-1' } }), 'Table', { partitionKey, replicas: [{ region: 'ap-south-1' }] });
    const rules = pack().validateScope((app.synth(), app)).violations.map((v) => v.ruleName);
    expect(rules).toEqual(['DataResidency-StatefulResourceHasRealm', 'DataResidency-DynamoDBGlobalTablePITR', 'DataResidency-DynamoDBGlobalTableCMK']);
  });
});

describe('DataResidency-LambdaEgressToAtlassianOnly', () => {
  const egress = (stack: Stack, id: string, hosts: unknown) =>
    new lambda.Function(stack, id, { ...inline(), environment: { RESIDENCY_EGRESS_HOSTS: typeof hosts === 'string' ? hosts : JSON.stringify(hosts) } });

  it("records each host an egress function reaches, and finds one that is not Atlassian's as such", () => {
    const app = testApp();
    const stack = realmStack(app, 'Eu', 'eu-central-1', 'EU');
    egress(stack, 'Egress', ['*.atlassian.net', 'api.atlassian.com', 'collector.example.com']);
    egress(stack, 'Garbled', 'not json');
    expect(findingsOf(app, pack(), 'LambdaEgressToAtlassianOnly').map((f) => [f.id, f.path])).toEqual([
      ['DataResidency-LambdaEgressToAtlassianOnly[Egress::*.atlassian.net]', 'Eu/Egress/Resource'],
      ['DataResidency-LambdaEgressToAtlassianOnly[Egress::api.atlassian.com]', 'Eu/Egress/Resource'],
      ['DataResidency-LambdaEgressToAtlassianOnly[Egress::collector.example.com::not-atlassian]', 'Eu/Egress/Resource'],
      ['DataResidency-LambdaEgressToAtlassianOnly[Egress::unresolved]', 'Eu/Garbled/Resource'],
    ]);
  });

  it('leaves functions without egress hosts alone', () => {
    const app = testApp();
    new lambda.Function(realmStack(app, 'Eu', 'eu-central-1', 'EU'), 'Fn', inline());
    expect(findingsOf(app, pack(), 'LambdaEgressToAtlassianOnly')).toEqual([]);
  });
});
