import { Duration, Stack, StackProps, Tags, Token } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AppSecretSpec, AppSecrets } from '../../constructs/app-secrets';
import { DataBucket } from '../../constructs/data-bucket';
import { RealmBackup } from '../../constructs/realm-backup';
import { RealmKey } from '../../constructs/realm-key';
import { RealmLogGroup } from '../../constructs/realm-log-group';
import { TenantStore } from '../../constructs/tenant-store';
import { RealmName, isInJurisdiction, jurisdictionOf } from '../config/realms';

/** Props of {@link RealmStack}. */
export interface RealmStackProps extends StackProps {
  /** The Atlassian app key. */
  readonly appKey: string;
  /** The realms whose data this stack holds; the first owns the stack. */
  readonly realms: readonly RealmName[];
  /**
   * How long log events are kept.
   * @default RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * How long daily backups (and overwritten object versions) are kept.
   * @default Duration.days(35)
   */
  readonly backupRetention?: Duration;
  /**
   * App-level secrets to create under the realm key.
   * @default - none
   */
  readonly secrets?: readonly AppSecretSpec[];
}

/**
 * Everything that holds one realm's data, in one region inside the realm's jurisdiction:
 * the realm key, the tenant table, the data bucket and its access logs, the app log
 * group, app secrets, and a backup vault and plan that never copy out of the region.
 */
export class RealmStack extends Stack {
  /** The realms this stack holds, owner first. */
  public readonly realms: readonly RealmName[];
  /** The realm's customer managed key. */
  public readonly realmKey: RealmKey;
  /** The tenant table. */
  public readonly tenantStore: TenantStore;
  /** The object storage and its access-log bucket. */
  public readonly dataBucket: DataBucket;
  /** The application log group. */
  public readonly appLogGroup: RealmLogGroup;
  /** App-level secrets. */
  public readonly appSecrets: AppSecrets;
  /** Backup vault and plan. */
  public readonly realmBackup: RealmBackup;

  constructor(scope: Construct, id: string, props: RealmStackProps) {
    super(scope, id, props);
    const region = this.region;
    if (props.realms.length === 0) throw new Error(`RealmStack ${id}: found no realms; expected at least one realm`);
    if (Token.isUnresolved(region)) {
      throw new Error(`RealmStack ${id}: found no region; expected env.region set to a region of ${props.realms.join(', ')}`);
    }
    for (const realm of props.realms) {
      if (!isInJurisdiction(realm, region)) {
        throw new Error(
          `RealmStack ${id}: found region ${region}; expected a region in ${realm}'s jurisdiction (${jurisdictionOf(realm).join(', ')})`,
        );
      }
    }
    this.realms = props.realms;
    const owner = props.realms[0]!;
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_YEAR;
    const backupRetention = props.backupRetention ?? Duration.days(35);
    Tags.of(this).add('cdk-residency:realms', props.realms.join('+'));

    this.realmKey = new RealmKey(this, 'RealmKey', { appKey: props.appKey, realms: props.realms });
    const encryptionKey = this.realmKey.key;
    this.tenantStore = new TenantStore(this, 'TenantStore', { encryptionKey });
    this.dataBucket = new DataBucket(this, 'DataBucket', {
      encryptionKey,
      accessLogRetention: Duration.days(logRetention),
      noncurrentVersionRetention: backupRetention,
    });
    this.appLogGroup = new RealmLogGroup(this, 'AppLogs', { encryptionKey, retention: logRetention });
    this.appSecrets = new AppSecrets(this, 'AppSecrets', {
      appKey: props.appKey,
      realm: owner,
      encryptionKey,
      secrets: props.secrets ?? [],
    });
    this.realmBackup = new RealmBackup(this, 'Backup', {
      encryptionKey,
      retention: backupRetention,
      resources: [
        backup.BackupResource.fromDynamoDbTable(this.tenantStore.table),
        backup.BackupResource.fromArn(this.dataBucket.bucket.bucketArn),
      ],
    });
  }
}
