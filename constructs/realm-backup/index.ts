import { Aws, Duration, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { STATEFUL_REMOVAL_POLICY } from '../removal-policy';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge } from '../acknowledge';

/** Props of {@link RealmBackup}. */
export interface RealmBackupProps {
  /** The realm key that encrypts the vault's recovery points (and the stores it backs up). */
  readonly encryptionKey: kms.IKey;
  /** How long each daily recovery point is kept. */
  readonly retention: Duration;
  /**
   * The tables to back up, encrypted with `encryptionKey`.
   * @default - none
   */
  readonly tables?: readonly dynamodb.ITable[];
  /**
   * The buckets to back up (versioned, encrypted with `encryptionKey`).
   * @default - none
   */
  readonly buckets?: readonly s3.IBucket[];
  /**
   * The plan's name, unique in the account and region (AWS Backup allows letters, digits, `-`, `_`, `.`; 50 at most).
   * @default - a name unique to this construct's path
   */
  readonly planName?: string;
  /**
   * What happens to the vault when it leaves the stack.
   * @default STATEFUL_REMOVAL_POLICY (kept on update and delete, removed when a first create rolls back)
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** S3 bucket actions AWS Backup's S3 backup uses (AWSBackupServiceRolePolicyForS3Backup), on the bucket. */
const S3_BACKUP_BUCKET_ACTIONS = [
  's3:GetInventoryConfiguration',
  's3:PutInventoryConfiguration',
  's3:ListBucketVersions',
  's3:ListBucket',
  's3:GetBucketVersioning',
  's3:GetBucketNotification',
  's3:PutBucketNotification',
  's3:GetBucketLocation',
  's3:GetBucketTagging',
  's3:GetBucketAcl',
];
/** S3 object actions of the S3 backup, on the bucket's objects. */
const S3_BACKUP_OBJECT_ACTIONS = ['s3:GetObjectAcl', 's3:GetObject', 's3:GetObjectVersionTagging', 's3:GetObjectVersionAcl', 's3:GetObjectTagging', 's3:GetObjectVersion'];
/** S3 bucket actions of an S3 restore into the bucket (AWSBackupServiceRolePolicyForS3Restore, without CreateBucket). */
const S3_RESTORE_BUCKET_ACTIONS = [
  's3:ListBucketVersions',
  's3:ListBucket',
  's3:GetBucketVersioning',
  's3:GetBucketLocation',
  's3:PutBucketVersioning',
  's3:PutBucketOwnershipControls',
  's3:GetBucketOwnershipControls',
];
/** S3 object actions of an S3 restore. */
const S3_RESTORE_OBJECT_ACTIONS = [
  's3:GetObject',
  's3:GetObjectVersion',
  's3:DeleteObject',
  's3:PutObjectVersionAcl',
  's3:GetObjectVersionAcl',
  's3:GetObjectTagging',
  's3:PutObjectTagging',
  's3:GetObjectAcl',
  's3:PutObjectAcl',
  's3:ListMultipartUploadParts',
  's3:PutObject',
];
/** EventBridge actions of the S3 backup, on the rules AWS Backup manages for it. */
const S3_BACKUP_RULE_ACTIONS = [
  'events:DeleteRule',
  'events:PutTargets',
  'events:DescribeRule',
  'events:EnableRule',
  'events:PutRule',
  'events:RemoveTargets',
  'events:ListTargetsByRule',
  'events:DisableRule',
];
/** DynamoDB actions of a backup, on the table (AWSBackupServiceRolePolicyForBackup; StartAwsBackupJob is advanced backup). */
const TABLE_BACKUP_ACTIONS = ['dynamodb:DescribeTable', 'dynamodb:CreateBackup', 'dynamodb:StartAwsBackupJob', 'dynamodb:ListTagsOfResource'];
/** DynamoDB actions of a restore, on the table it creates (AWSBackupServiceRolePolicyForRestores). */
const TABLE_RESTORE_ACTIONS = [
  'dynamodb:RestoreTableFromAwsBackup',
  'dynamodb:DescribeTable',
  'dynamodb:Scan',
  'dynamodb:Query',
  'dynamodb:UpdateItem',
  'dynamodb:PutItem',
  'dynamodb:GetItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

/**
 * An AWS Backup vault under the realm key and a daily plan for the realm's tables and buckets.
 * Recovery points stay in the vault's region: the plan has no copy actions, so no
 * backup leaves the jurisdiction; deleting recovery points by hand is denied.
 *
 * The role AWS Backup assumes holds one customer-managed policy with the actions of AWS
 * Backup's own service-role policies for DynamoDB and S3, on this construct's tables, buckets,
 * vault and key only. A DynamoDB restore always creates a new table: name it after the source
 * (`<table name>-restored-...`), the only table names the role may restore into. An S3 restore
 * goes into the backed-up bucket (a new bucket needs its own grant).
 */
export class RealmBackup extends Construct {
  /** The vault. */
  public readonly vault: backup.BackupVault;
  /** The plan. */
  public readonly plan: backup.BackupPlan;
  /** The role AWS Backup assumes to back up and restore the selected stores. */
  public readonly role: iam.Role;
  /** The role's permissions: back up and restore this construct's stores, nothing else. */
  public readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: RealmBackupProps) {
    super(scope, id);
    const tables = props.tables ?? [];
    const buckets = props.buckets ?? [];
    this.vault = new backup.BackupVault(this, 'Vault', {
      encryptionKey: props.encryptionKey,
      blockRecoveryPointDeletion: true,
      removalPolicy: props.removalPolicy ?? STATEFUL_REMOVAL_POLICY,
    });
    this.plan = new backup.BackupPlan(this, 'Resource', {
      backupPlanName: props.planName ?? Names.uniqueResourceName(this, { maxLength: 50 }),
      backupVault: this.vault,
      backupPlanRules: [
        new backup.BackupPlanRule({
          ruleName: 'Daily',
          scheduleExpression: events.Schedule.cron({ hour: '3', minute: '0' }),
          deleteAfter: props.retention,
          startWindow: Duration.hours(1),
          completionWindow: Duration.hours(8),
        }),
      ],
    });
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: 'AWS Backup: back up and restore the realm table and bucket into the realm vault, under the realm key',
      statements: backupStatements(this, props.encryptionKey, this.vault, tables, buckets),
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
      description: 'AWS Backup service role of the realm backup plan',
      managedPolicies: [this.policy],
    });
    this.acknowledgeWildcards(tables, buckets);
    const resources = [...tables.map((t) => backup.BackupResource.fromDynamoDbTable(t)), ...buckets.map((b) => backup.BackupResource.fromArn(b.bucketArn))];
    this.plan.addSelection('Stores', { resources, role: this.role, disableDefaultBackupPolicy: true });
  }

  private acknowledgeWildcards(tables: readonly dynamodb.ITable[], buckets: readonly s3.IBucket[]): void {
    const region = Stack.of(this).region;
    const ids = [
      'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:events:${region}:<AWS::AccountId>:rule/AwsBackupManagedRule*]`,
      ...tables.flatMap((t) => [`AwsSolutions::AwsSolutions-IAM5[Resource::${printed(this, t.tableArn)}/backup/*]`, `AwsSolutions::AwsSolutions-IAM5[Resource::${printed(this, tableNamePattern(t))}]`]),
      ...buckets.map((b) => `AwsSolutions::AwsSolutions-IAM5[Resource::${printed(this, b.bucketArn)}/*]`),
    ];
    acknowledge(
      this.policy.node.defaultChild!,
      'Only backup.amazonaws.com assumes this role. Resource * is for cloudwatch:GetMetricData, events:ListRules and ' +
        's3:ListAllMyBuckets, which take no resource ARN; the EventBridge rules are the AwsBackupManagedRule* that AWS Backup ' +
        "creates for S3; <table>/backup/* are the table's own backups (ids are generated); <table>* is the new table a restore " +
        'must create, named after the source; <bucket>/* are the objects of the backed-up bucket.',
      ...ids,
    );
  }
}

/** Table ARNs a restore of `table` may create: the table's own name and any name that starts with it. */
function tableNamePattern(table: dynamodb.ITable): string {
  return Stack.of(table).formatArn({ service: 'dynamodb', resource: 'table', resourceName: `${table.tableName}*` });
}

/** The statements of the backup role's policy (see {@link RealmBackup}). */
function backupStatements(scope: Construct, key: kms.IKey, vault: backup.IBackupVault, tables: readonly dynamodb.ITable[], buckets: readonly s3.IBucket[]): iam.PolicyStatement[] {
  const region = Stack.of(scope).region;
  const allow = (sid: string, actions: string[], resources: string[], conditions?: Record<string, unknown>) => new iam.PolicyStatement({ sid, actions, resources, conditions });
  const statements = [
    allow('Vault', ['backup:DescribeBackupVault', 'backup:CopyIntoBackupVault'], [vault.backupVaultArn]),
    // Data keys of the stores and the vault, only as those services use them on the role's behalf.
    allow('RealmKeyViaServices', ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:DescribeKey'], [key.keyArn], {
      StringEquals: { 'kms:ViaService': ['dynamodb', 's3', 'backup'].map((s) => `${s}.${region}.amazonaws.com`) },
    }),
    // A table restored under a customer managed key gets a grant that DynamoDB creates for it.
    allow('RealmKeyGrantsForServices', ['kms:CreateGrant'], [key.keyArn], { Bool: { 'kms:GrantIsForAWSResource': 'true' } }),
  ];
  if (tables.length > 0) {
    statements.push(
      allow('TableBackup', TABLE_BACKUP_ACTIONS, tables.map((t) => t.tableArn)),
      allow('TableBackups', ['dynamodb:DescribeBackup', 'dynamodb:DeleteBackup', 'dynamodb:RestoreTableFromBackup'], tables.map((t) => `${t.tableArn}/backup/*`)),
      allow('TableRestore', TABLE_RESTORE_ACTIONS, tables.map(tableNamePattern)),
    );
  }
  if (buckets.length > 0) {
    const bucketArns = buckets.map((b) => b.bucketArn);
    const objectArns = buckets.map((b) => b.arnForObjects('*'));
    statements.push(
      allow('BucketBackupAndRestore', unique([...S3_BACKUP_BUCKET_ACTIONS, ...S3_RESTORE_BUCKET_ACTIONS]), bucketArns),
      allow('ObjectBackupAndRestore', unique([...S3_BACKUP_OBJECT_ACTIONS, ...S3_RESTORE_OBJECT_ACTIONS]), objectArns),
      // S3 backups follow changes through EventBridge rules that AWS Backup creates under this prefix.
      allow('ManagedRules', S3_BACKUP_RULE_ACTIONS, [`arn:${Aws.PARTITION}:events:${region}:${Aws.ACCOUNT_ID}:rule/AwsBackupManagedRule*`]),
      allow('UnscopedReads', ['cloudwatch:GetMetricData', 'events:ListRules', 's3:ListAllMyBuckets'], ['*']),
    );
  }
  return statements;
}

function unique(actions: readonly string[]): string[] {
  return [...new Set(actions)];
}

/** A token-bearing string as cdk-nag prints it in a finding id (`<Logical.Attr>`, `<AWS::Region>`). */
function printed(scope: Construct, value: string): string {
  const resolved = Stack.of(scope).resolve(value);
  return render(resolved);
}

function render(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('Fn::Join' in o) {
      const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
      return parts.map(render).join(sep);
    }
    if ('Ref' in o) return `<${String(o.Ref)}>`;
    if ('Fn::GetAtt' in o) {
      const [logicalId, attr] = o['Fn::GetAtt'] as [string, string];
      return `<${logicalId}.${attr}>`;
    }
  }
  return JSON.stringify(v);
}
