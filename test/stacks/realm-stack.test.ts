import { App, Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { DEFAULT_AVAILABILITY_ZONE_IDS } from '../../lib/config';
import { RealmStack } from '../../lib/stacks/realm-stack';
import { IConstruct } from 'constructs';
import { NO_BUNDLING, exampleStacks } from '../helpers/example-app';
import { logicalIdOf } from '../helpers/logical-id';

const { config, stacks, templates } = exampleStacks();
const each = [...templates.entries()].map(([stack, template]) => [stack.stackName, stack, template] as const);

function keyId(template: Template): string {
  const keys = Object.keys(template.findResources('AWS::KMS::Key'));
  expect(keys).toHaveLength(1);
  return keys[0]!;
}
const keyArn = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

describe.each(each)('realm stack %s', (_name, stack, template) => {
  const key = keyId(template);

  it('sits in its realm region', () => {
    const plan = config.stacks.find((p) => stack.realms[0] === p.owner)!;
    expect(stack.region).toBe(plan.region);
  });

  it('has one customer managed key, rotated, never multi-Region, with an alias per realm', () => {
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, MultiRegion: false });
    template.resourceCountIs('AWS::KMS::Alias', stack.realms.length);
    template.hasResourceProperties('AWS::KMS::Alias', {
      AliasName: `alias/com-example-residency-demo/${stack.realms[0]!.toLowerCase()}`,
    });
  });

  it('denies KMS grants to anything but AWS services', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'kms:CreateGrant',
            Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
          }),
        ]),
      },
    });
  });

  it('encrypts the tenant table with the realm key, with PITR and deletion protection', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: keyArn(key) },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    });
  });

  it('encrypts every bucket with the realm key and a bucket key, and blocks public access', () => {
    const buckets = Object.values(template.findResources('AWS::S3::Bucket'));
    expect(buckets).toHaveLength(2);
    for (const b of buckets) {
      expect(b.Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
        { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn(key) } },
      ]);
      expect(b.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
      });
      expect(b.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    }
  });

  it('sends the data bucket access logs to a bucket in the same stack', () => {
    const logBucket = template.getResourceId('AWS::S3::Bucket', { Properties: Match.objectLike({ LoggingConfiguration: Match.absent() }) });
    template.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: { DestinationBucketName: { Ref: logBucket }, LogFilePrefix: 'data/' },
    });
  });

  it('denies every request to either bucket that is not TLS 1.2 or newer', () => {
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy'));
    expect(policies).toHaveLength(2);
    for (const p of policies) {
      expect(p.Properties.PolicyDocument.Statement).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          expect.objectContaining({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
        ]),
      );
    }
  });

  it('encrypts log groups and secrets with the realm key and keeps logs for the configured time', () => {
    template.allResourcesProperties('AWS::Logs::LogGroup', { KmsKeyId: keyArn(key), RetentionInDays: config.retention.logDays });
    template.allResourcesProperties('AWS::SecretsManager::Secret', { KmsKeyId: keyArn(key) });
    template.resourceCountIs('AWS::SecretsManager::Secret', config.secrets.length);
  });

  it('backs the stores up into a vault under the realm key, kept for the configured days, copied nowhere', () => {
    template.hasResourceProperties('AWS::Backup::BackupVault', { EncryptionKeyArn: keyArn(key) });
    const plan = Object.values(template.findResources('AWS::Backup::BackupPlan'))[0]!;
    for (const rule of plan.Properties.BackupPlan.BackupPlanRule) {
      expect(rule.Lifecycle).toEqual({ DeleteAfterDays: config.retention.backupDays });
      expect(rule.CopyActions).toBeUndefined();
    }
    const selection = Object.values(template.findResources('AWS::Backup::BackupSelection'))[0]!;
    expect(selection.Properties.BackupSelection.Resources).toHaveLength(2);
  });

  describe('the AWS Backup role', () => {
    const resources = template.toJSON().Resources;
    const idOf = (c: IConstruct) => logicalIdOf(stack, c);
    const role = resources[idOf(stack.realmBackup.role)];
    const statements: any[] = resources[idOf(stack.realmBackup.policy)].Properties.PolicyDocument.Statement;
    const table = idOf(stack.tenantStore.table);
    const bucket = idOf(stack.dataBucket.bucket);
    const vault = idOf(stack.realmBackup.vault);

    it('holds no AWS managed policy, only its own customer-managed one', () => {
      expect(role.Properties.ManagedPolicyArns).toEqual([{ Ref: idOf(stack.realmBackup.policy) }]);
      expect(role.Properties.Policies).toBeUndefined();
      expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([expect.objectContaining({ Principal: { Service: 'backup.amazonaws.com' } })]);
    });

    it("reaches this realm's table, bucket, vault and key only", () => {
      const own = [table, bucket, vault, key];
      const unscoped = ['cloudwatch:GetMetricData', 'events:ListRules', 's3:ListAllMyBuckets'];
      for (const s of statements) {
        for (const r of [s.Resource].flat()) {
          const text = JSON.stringify(r);
          if (r === '*') expect([s.Action].flat().sort()).toEqual([...unscoped].sort());
          else if (text.includes(':events:')) expect(text).toContain(':rule/AwsBackupManagedRule*');
          else expect(own.filter((id) => text.includes(`"${id}"`))).toHaveLength(1);
        }
      }
      // The restore target: a new table named after this realm's table, never any other.
      const restore = statements.find((s) => [s.Action].flat().includes('dynamodb:RestoreTableFromAwsBackup'));
      expect(JSON.stringify(restore.Resource)).toContain(`{"Ref":"${table}"},"*"`);
      // Keys are used only through DynamoDB, S3 and AWS Backup of this region, or granted to AWS resources.
      for (const s of statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('kms:')))) {
        expect(s.Resource).toEqual(keyArn(key));
        expect(s.Condition).toBeDefined();
      }
    });

    it('can back up and restore DynamoDB (incl. advanced backups) and S3', () => {
      const actions = new Set(statements.flatMap((s) => [s.Action].flat()));
      for (const a of ['dynamodb:CreateBackup', 'dynamodb:StartAwsBackupJob', 'dynamodb:RestoreTableFromBackup', 'dynamodb:RestoreTableFromAwsBackup', 'dynamodb:BatchWriteItem', 's3:GetObjectVersion', 's3:PutBucketNotification', 's3:PutObject', 'events:PutRule', 'backup:CopyIntoBackupVault', 'kms:GenerateDataKey', 'kms:CreateGrant']) {
        expect(actions).toContain(a);
      }
      expect([...actions].filter((a) => a.endsWith('*') || a === '*')).toEqual([]);
    });
  });

  it('replicates nothing: no global tables, replicas, replication or multi-Region keys', () => {
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 0);
    const json = JSON.stringify(template.toJSON());
    for (const word of ['"Replicas"', '"ReplicationConfiguration"', '"ReplicaRegions"', '"MultiRegion":true', '"CopyActions"']) {
      expect(json).not.toContain(word);
    }
  });

  it("pins its two subnets to the region's default AZ ids, with nothing to look up", () => {
    const subnets = Object.values(template.findResources('AWS::EC2::Subnet')).map((s) => s.Properties);
    expect(subnets.map((p) => p.AvailabilityZoneId)).toEqual([...DEFAULT_AVAILABILITY_ZONE_IDS[stack.region]!]);
    expect(subnets.every((p) => p.AvailabilityZone === undefined)).toBe(true);
    expect(JSON.stringify(template.toJSON())).not.toContain('Fn::GetAZs');
  });

  it('keeps every store, key, log group, secret and vault on update and delete, but not after a failed first create', () => {
    for (const type of ['AWS::KMS::Key', 'AWS::DynamoDB::Table', 'AWS::S3::Bucket', 'AWS::Logs::LogGroup', 'AWS::SecretsManager::Secret', 'AWS::Backup::BackupVault']) {
      const found = Object.values(template.findResources(type));
      expect(found.length).toBeGreaterThan(0);
      for (const r of found) expect([type, r.DeletionPolicy, r.UpdateReplacePolicy]).toEqual([type, 'RetainExceptOnCreate', 'Retain']);
    }
  });
});

/** What a stack serving `realms` needs beyond its data: host names, zone, base URLs. */
function served(...realms: string[]) {
  const hostnames = realms.map((r) => `${r.toLowerCase()}.app.example.com`);
  return {
    hostnames,
    hostedZone: { id: 'Z0123456789EXAMPLE0AB', name: 'example.com' },
    baseUrls: ['https://app.example.com', ...hostnames.map((h) => `https://${h}`)],
  };
}

describe('RealmStack', () => {
  it('is built once per planned stack', () => {
    expect(stacks.map((s) => s.stackName)).toEqual(config.stacks.map((p) => `ResidencyDemo-${p.owner}`));
  });

  it('refuses a region outside a realm jurisdiction', () => {
    const app = new App({ context: NO_BUNDLING });
    expect(() => new RealmStack(app, 'Bad', { env: { region: 'eu-west-2' }, appKey: 'a', realms: ['EU'], ...served('EU') })).toThrow(
      /found region eu-west-2; expected a region in EU's jurisdiction/,
    );
  });

  it('refuses a stack without a region', () => {
    const app = new App({ context: NO_BUNDLING });
    expect(() => new RealmStack(app, 'NoRegion', { appKey: 'a', realms: ['DE'], ...served('DE') })).toThrow(/found no region/);
  });

  it('pins its subnets to the AZ ids it is given, and refuses ids of another region', () => {
    const app = new App({ context: NO_BUNDLING });
    const stack = new RealmStack(app, 'Pinned', { env: { region: 'eu-central-1' }, appKey: 'a', realms: ['DE'], ...served('DE'), availabilityZoneIds: ['euc1-az3', 'euc1-az2'] });
    const ids = Object.values(Template.fromStack(stack).findResources('AWS::EC2::Subnet')).map((s) => s.Properties.AvailabilityZoneId);
    expect(ids).toEqual(['euc1-az3', 'euc1-az2']);
    expect(() => new RealmStack(app, 'Foreign', { env: { region: 'eu-central-1' }, appKey: 'a', realms: ['DE'], ...served('DE'), availabilityZoneIds: ['euw1-az1', 'euc1-az2'] })).toThrow(
      /RealmStack Foreign: found availabilityZoneIds \["euw1-az1","euc1-az2"\]; expected AZ ids of eu-central-1 \(euc1-az<n>\)/,
    );
  });

  it('falls back to the first two zones of a region without a default pair, and warns with the config key', () => {
    const region = 'sa-east-1';
    expect(DEFAULT_AVAILABILITY_ZONE_IDS[region]).toBeUndefined();
    const app = new App({ context: NO_BUNDLING });
    const stack = new RealmStack(app, 'Unlisted', { env: { region }, appKey: 'a', realms: ['Global'], ...served('Global') });
    const subnets = Object.values(Template.fromStack(stack).findResources('AWS::EC2::Subnet')).map((s) => s.Properties);
    expect(subnets.map((p) => [p.AvailabilityZoneId, JSON.stringify(p.AvailabilityZone).includes('Fn::GetAZs')])).toEqual([[undefined, true], [undefined, true]]);
    Annotations.fromStack(stack).hasWarning('/Unlisted', Match.stringLikeRegexp('No default Availability Zone ids for sa-east-1.*realms\\.Global\\.availabilityZoneIds'));
  });

  it('holds two realms in one Frankfurt stack with an alias for each', () => {
    const app = new App({ context: NO_BUNDLING });
    const stack = new RealmStack(app, 'Shared', {
      env: { region: 'eu-central-1' }, appKey: 'com.acme.x', realms: ['EU', 'DE'], backupRetention: Duration.days(7), ...served('EU', 'DE'),
    });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::KMS::Key', 1);
    t.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/com-acme-x/de' });
    t.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/com-acme-x/eu' });
  });
});

describe('realm stacks of the example config, together', () => {
  const all = [...templates.entries()];

  it('set the API Gateway account of each region exactly once, and every other stack of the region depends on the owner', () => {
    const regions = [...new Set(stacks.map((s) => s.region))];
    for (const region of regions) {
      const inRegion = all.filter(([s]) => s.region === region);
      const owners = inRegion.filter(([, t]) => Object.keys(t.findResources('AWS::ApiGateway::Account')).length > 0).map(([s]) => s);
      expect(owners).toHaveLength(1);
      const owner = owners[0]!;
      expect(Object.keys(templates.get(owner)!.findResources('AWS::ApiGateway::Account'))).toHaveLength(1);
      for (const [s, t] of inRegion.filter(([s]) => s !== owner)) {
        // No account setting and no logging role of its own; the owner deploys first.
        expect(t.findResources('AWS::IAM::Role', { Properties: { ManagedPolicyArns: Match.arrayWith([Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([Match.stringLikeRegexp('AmazonAPIGatewayPushToCloudWatchLogs')])]) })]) } })).toEqual({});
        expect(s.dependencies).toContain(owner);
      }
    }
    // The example puts EU and DE in eu-central-1: that region has a stack without the setting.
    expect(all.filter(([s]) => s.region === 'eu-central-1')).toHaveLength(2);
  });

  it('give every backup plan a name unique to the app and realm', () => {
    const names = all.map(([, t]) => Object.values(t.findResources('AWS::Backup::BackupPlan'))[0]!.Properties.BackupPlan.BackupPlanName);
    expect(new Set(names).size).toBe(stacks.length);
    expect(names).toEqual(stacks.map((s) => `com.example.residency-demo-${s.realms[0]!.toLowerCase()}`));
  });
});
