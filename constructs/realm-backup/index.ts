import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { acknowledge } from '../acknowledge';

/** Props of {@link RealmBackup}. */
export interface RealmBackupProps {
  /** The realm key that encrypts the vault's recovery points. */
  readonly encryptionKey: kms.IKey;
  /** How long each daily recovery point is kept. */
  readonly retention: Duration;
  /** The resources to back up (tables, buckets, ...). */
  readonly resources: readonly backup.BackupResource[];
  /**
   * What happens to the vault when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * An AWS Backup vault under the realm key and a daily plan for the realm's stores.
 * Recovery points stay in the vault's region: the plan has no copy actions, so no
 * backup leaves the jurisdiction; deleting recovery points by hand is denied.
 */
export class RealmBackup extends Construct {
  /** The vault. */
  public readonly vault: backup.BackupVault;
  /** The plan. */
  public readonly plan: backup.BackupPlan;
  /** The role AWS Backup assumes to back up and restore the selected stores. */
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: RealmBackupProps) {
    super(scope, id);
    this.vault = new backup.BackupVault(this, 'Vault', {
      encryptionKey: props.encryptionKey,
      blockRecoveryPointDeletion: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.plan = new backup.BackupPlan(this, 'Resource', {
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
    // AWS Backup's own service-role policies: S3 needs two beyond the defaults CDK attaches.
    const policies = ['AWSBackupServiceRolePolicyForBackup', 'AWSBackupServiceRolePolicyForRestores', 'AWSBackupServiceRolePolicyForS3Backup', 'AWSBackupServiceRolePolicyForS3Restore'];
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
      description: 'AWS Backup service role of the realm backup plan',
      managedPolicies: policies.map((p) => iam.ManagedPolicy.fromAwsManagedPolicyName(`service-role/${p}`)),
    });
    acknowledge(
      this.role.node.defaultChild!,
      'These are the AWS-maintained service-role policies AWS Backup documents for itself; AWS keeps them current as ' +
        'services change. Only backup.amazonaws.com can assume the role, and the selection limits it to this realm.',
      ...policies.map((p) => `AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/${p}]`),
    );
    this.plan.addSelection('Stores', { resources: [...props.resources], role: this.role, disableDefaultBackupPolicy: true });
  }
}
