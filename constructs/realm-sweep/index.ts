import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ENV } from '../../runtime/lambda/environment';
import { acknowledge } from '../acknowledge';
import { RECORD_LISTING_ATTRIBUTES } from '../../runtime/tenants/tenant-table';
import { AppFunction } from '../app-function';
import { handlerEntry } from '../app-function/handler-entry';
import { decryptViaService } from '../secure-api/permissions';
import { TenantAccessRole } from '../tenant-access';

/** How often each realm is swept: shreds due tenants' objects and items, reconciles the directory. */
export const SWEEP_SCHEDULE = events.Schedule.rate(Duration.hours(6));

/** Props of {@link RealmSweep}. */
export interface RealmSweepProps {
  /** The Atlassian app key. */
  readonly appKey: string;
  /** The realm owning the stack. */
  readonly realm: string;
  /** The realm's base URL (the tenant stores' settings carry it). */
  readonly baseUrl: string;
  /** The tenant table. */
  readonly table: dynamodb.ITable;
  /** The data bucket whose tenant prefixes a shred purges. */
  readonly bucket: s3.IBucket;
  /** The realm key. */
  readonly encryptionKey: kms.IKey;
  /** The tenant-access role: shreds run on the tenant's own session. */
  readonly tenantAccess: TenantAccessRole;
  /** Days before an uninstalled tenant is shredded. */
  readonly shredAfterDays: number;
  /** The realm's isolated network (DynamoDB, S3, STS and Lambda endpoints). */
  readonly network: { readonly vpc: ec2.IVpc; readonly subnets: ec2.SubnetSelection; readonly functionSecurityGroup: ec2.ISecurityGroup };
  /** How long the function's log events are kept. */
  readonly logRetention: logs.RetentionDays;
  /** Concurrent executions reserved for its function, as for the realm's other functions. @default - none reserved */
  readonly reservedConcurrency?: number;
}

/**
 * A realm's scheduled sweep ({@link SWEEP_SCHEDULE}, EventBridge): a function in the realm's VPC
 * that lists the tenant records (a Scan of the record attributes only: `dynamodb:Attributes` and
 * `dynamodb:Select` bind it), shreds every uninstalled tenant past its shred time on that
 * tenant's session (its key, every version of its objects, its items), and reconciles the tenant
 * directory through the realm's relay once given one (`reconcileThrough`). It holds no object,
 * item or data-key permission of its own.
 */
export class RealmSweep extends Construct {
  /** The sweep function. */
  public readonly function: AppFunction;
  /** The schedule. */
  public readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: RealmSweepProps) {
    super(scope, id);
    this.function = new AppFunction(this, 'Function', {
      entry: handlerEntry(__dirname, 'sweep'),
      description: "cdk-residency: the realm's scheduled sweep (shreds due tenants' objects and items, reconciles the directory)",
      encryptionKey: props.encryptionKey,
      logRetention: props.logRetention,
      vpc: props.network.vpc,
      vpcSubnets: props.network.subnets,
      securityGroups: [props.network.functionSecurityGroup],
      // Lists the table and purges due tenants; what does not finish is taken up by the next sweep.
      // 15 minutes: it cannot overlap the next run, 6 hours later.
      timeout: Duration.minutes(15),
      reservedConcurrentExecutions: props.reservedConcurrency,
      environment: {
        [ENV.appKey]: props.appKey,
        [ENV.realm]: props.realm,
        [ENV.baseUrl]: props.baseUrl,
        [ENV.tableName]: props.table.tableName,
        [ENV.keyArn]: props.encryptionKey.keyArn,
        [ENV.shredAfterDays]: String(props.shredAfterDays),
        [ENV.tenantRoleArn]: props.tenantAccess.role.roleArn,
        [ENV.bucketName]: props.bucket.bucketName,
      },
    });
    this.function.addToDataPolicy(
      new iam.PolicyStatement({
        sid: 'ListTenantRecords',
        actions: ['dynamodb:Scan'],
        resources: [props.table.tableArn],
        conditions: {
          'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...RECORD_LISTING_ATTRIBUTES] },
          StringEquals: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
        },
      }),
      decryptViaService(this, props.encryptionKey, 'dynamodb', { 'kms:EncryptionContext:aws:dynamodb:tableName': props.table.tableName }),
    );
    props.tenantAccess.allowSessionsOf(this.function.role, 'SweepAssumePolicy');
    this.rule = new events.Rule(this, 'Schedule', {
      description: `cdk-residency: sweep of realm ${props.realm} (shred due tenants, reconcile the directory)`,
      schedule: SWEEP_SCHEDULE,
      targets: [new targets.LambdaFunction(this.function.function, { retryAttempts: 2, maxEventAge: Duration.hours(1) })],
    });
    acknowledge(
      this.rule.node.defaultChild!,
      'The scheduled event carries no payload: a dropped delivery loses nothing a dead-letter queue could hold, and the next ' +
        'scheduled sweep (6 hours later) does the same work, since every step is idempotent and a shred is recorded only once done.',
      'Serverless::Serverless-EventBusDLQ',
    );
    this.function.acknowledgeSynchronousOnly(
      'Invoked only by its schedule, with no payload: a failed sweep has nothing to hold for a dead-letter queue. Every step is ' +
        'idempotent and a shred is recorded only once done, so the next scheduled sweep (EventBridge retries twice first) redoes what failed.',
    );
  }

  /** Reconciles the directory through `relay` on each sweep (`RESIDENCY_DIRECTORY_FUNCTION` and the invoke permission). */
  public reconcileThrough(relay: { allowInvoke(fn: AppFunction): void }): void {
    relay.allowInvoke(this.function);
  }
}
