import { Annotations, Duration, Fn, Stack, StackProps, Tags, Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import type { AppEntry } from '../../constructs/app-entry';
import { AtlassianEgress } from '../../constructs/atlassian-egress';
import { AppSecretSpec, AppSecrets } from '../../constructs/app-secrets';
import { DataBucket } from '../../constructs/data-bucket';
import { PrivateNetwork } from '../../constructs/private-network';
import { RealmBackup } from '../../constructs/realm-backup';
import { RealmKey } from '../../constructs/realm-key';
import { STATEFUL_REMOVAL_POLICY } from '../../constructs/removal-policy';
import { SecureApi } from '../../constructs/secure-api';
import { RealmMigration } from '../../constructs/realm-migration';
import { DirectoryRelay } from '../../constructs/tenant-directory';
import { RealmSweep } from '../../constructs/realm-sweep';
import type { MigrationRealmSettings } from '../../runtime/lambda/settings';
import { TenantStore } from '../../constructs/tenant-store';
import { tagRealm } from '../compliance/realm-tags';
import { DEFAULT_AVAILABILITY_ZONE_IDS, availabilityZoneIdsProblem } from '../config/availability-zones';
import { RealmName, isInJurisdiction, jurisdictionOf } from '../config/realms';
import { backupPlanName } from './realm-names';
import { ENV } from '../../runtime/lambda/environment';

/** Props of {@link RealmStack}. */
export interface RealmStackProps extends StackProps {
  /** The Atlassian app key. */
  readonly appKey: string;
  /**
   * The app the realm hosts: the module whose default export is `defineApp(...)` (its routes
   * build the API; it is bundled into the app function). See {@link SecureApiProps.app}.
   * @default - the notes example (`DEFAULT_APP_ENTRY`)
   */
  readonly app?: AppEntry;
  /** The realms whose data this stack holds; the first owns the stack. */
  readonly realms: readonly RealmName[];
  /** The regional host name of each realm in `realms`, in the same order; the API serves them all. */
  readonly hostnames: readonly string[];
  /** The Route 53 zone of the host names, given (never looked up). */
  readonly hostedZone: RealmHostedZone;
  /**
   * Every base URL of the app (Global's and each realm's), the audiences of signed
   * installs; must include `https://<hostnames[0]>`, the owner realm's base URL.
   */
  readonly baseUrls: readonly string[];
  /**
   * Days an uninstalled tenant is kept before its data key is deleted (crypto-shredding).
   * @default 30
   */
  readonly shredAfterDays?: number;
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
   * The fixed name of the edge's tenant directory writer ({@link directoryWriterName}), in us-east-1. When given, the
   * stack has a {@link DirectoryRelay} and the app records installs and uninstalls in the directory.
   * @default - the app does not write the tenant directory
   */
  readonly directoryWriterName?: string;
  /**
   * A fixed name for the tenant table ({@link tenantTableName}); migrations from other realms reach it by name.
   * @default - a name CloudFormation generates
   */
  readonly tableName?: string;
  /**
   * A fixed name for the data bucket ({@link dataBucketName}); migrations from other realms reach it by name.
   * @default - a name CloudFormation generates
   */
  readonly bucketName?: string;
  /**
   * Data residency migrations out of this stack's realm: every realm's stores, by the fixed
   * names the other stacks give them. Needs `directoryWriterName` (a commit flips the directory).
   * @default - none: the app answers every migration hook with E0003
   */
  readonly migration?: RealmStackMigration;
  /**
   * The Forge app whose remote this stack's API also is: it then serves the Forge migration hooks.
   * @default - a Connect app only
   */
  readonly forgeAppId?: string;
  /**
   * Concurrent executions reserved for (and capped at) each function of the stack ({@link AppFunctionProps.reservedConcurrentExecutions}).
   * @default - none reserved
   */
  readonly reservedConcurrency?: number;
  /**
   * The two Availability Zones of the private network's subnets, by AZ id (`use1-az1`) of the stack's region:
   * zones where every interface endpoint the network creates is offered.
   * @default - the region's pair in DEFAULT_AVAILABILITY_ZONE_IDS; for a region without one, its first two zones (`Fn::GetAZs`) and a synth warning
   */
  readonly availabilityZoneIds?: readonly string[];
  /**
   * App-level secrets to create under the realm key.
   * @default - none
   */
  readonly secrets?: readonly AppSecretSpec[];
  /**
   * Whether this stack creates its region's API Gateway account setting and CloudWatch Logs role (one per account
   * and region). With several realm stacks in one region, exactly one owns it and the others depend on that one.
   * @default true
   */
  readonly ownsApiGatewayAccount?: boolean;
  /**
   * The name of the backup plan, unique in the account and region.
   * @default backupPlanName(appKey, <owner realm>)
   */
  readonly backupPlanName?: string;
}

/** What a {@link RealmStack} needs to run data residency migrations. */
export interface RealmStackMigration {
  /** Every realm a tenant may move between, this one included. */
  readonly realms: Readonly<Record<string, MigrationRealmSettings>>;
  /** Migrations out of this realm that may be open at once. */
  readonly maxConcurrent: number;
}

/** A Route 53 hosted zone by id and name. */
export interface RealmHostedZone {
  /** The zone id, such as `Z0123456789EXAMPLE0AB`. */
  readonly id: string;
  /** The zone's domain name, such as `example.com`. */
  readonly name: string;
}

/**
 * Everything that holds one realm's data, in one region inside the realm's jurisdiction:
 * the realm key, the tenant table, the data bucket and its access logs, app secrets,
 * and a backup vault and plan that never copy out of the region;
 * and what serves it: the {@link SecureApi} on the realms' host names, whose data
 * functions run in a {@link PrivateNetwork} without a route to the internet, and the
 * {@link AtlassianEgress} their calls to the tenant's Atlassian site leave through.
 *
 * The private network's subnets are pinned by AZ id (`availabilityZoneIds`, or the region's
 * default pair), so synthesis looks nothing up, with or without an account; only for a region
 * without a default pair do they take its first two zones, as `Fn::GetAZs` tokens.
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
  /** App-level secrets. */
  public readonly appSecrets: AppSecrets;
  /** Backup vault and plan. */
  public readonly realmBackup: RealmBackup;
  /** The VPC of the functions that hold tenant data. */
  public readonly network: PrivateNetwork;
  /** The app's API, its functions, domains and firewall. */
  public readonly secureApi: SecureApi;
  /** The app's way to the tenant directory, when the stack has one. */
  public readonly directoryRelay?: DirectoryRelay;
  /** The realm's scheduled sweep: shreds due tenants' objects and items, reconciles the directory. */
  public readonly sweep: RealmSweep;
  /** The migration function, when the stack runs migrations. */
  public readonly migration?: RealmMigration;
  /** The one way `tenant.atlassian` calls leave the realm: to the tenant's own Atlassian site. */
  public readonly atlassianEgress: AtlassianEgress;
  /** The AZ ids the subnets are pinned to; undefined where they take the region's first two zones. */
  public readonly availabilityZoneIds?: readonly string[];

  constructor(scope: Construct, id: string, props: RealmStackProps) {
    super(scope, id, props);
    const region = this.region;
    if (props.realms.length === 0) throw new Error(`RealmStack ${id}: found no realms; expected at least one realm`);
    if (Token.isUnresolved(region)) {
      throw new Error(`RealmStack ${id}: found no region; expected env.region set to a region of ${props.realms.join(', ')}`);
    }
    if (props.hostnames.length !== props.realms.length) {
      throw new Error(
        `RealmStack ${id}: found ${props.hostnames.length} host names for ${props.realms.length} realms (${props.realms.join(', ')}); expected one host name per realm`,
      );
    }
    const baseUrl = `https://${props.hostnames[0]}`;
    if (!props.baseUrls.includes(baseUrl)) {
      throw new Error(`RealmStack ${id}: found baseUrls ${props.baseUrls.join(', ')}; expected them to include ${baseUrl}, the owner realm's base URL`);
    }
    for (const realm of props.realms) {
      if (!isInJurisdiction(realm, region)) {
        throw new Error(
          `RealmStack ${id}: found region ${region}; expected a region in ${realm}'s jurisdiction (${jurisdictionOf(realm).join(', ')})`,
        );
      }
    }
    if (props.availabilityZoneIds !== undefined) {
      const problem = availabilityZoneIdsProblem(region, props.availabilityZoneIds);
      if (problem) throw new Error(`RealmStack ${id}: found availabilityZoneIds ${JSON.stringify(props.availabilityZoneIds)}; expected ${problem}`);
    }
    if (props.migration !== undefined && props.directoryWriterName === undefined) {
      throw new Error(`RealmStack ${id}: found migration without directoryWriterName; expected the directory writer a commit flips`);
    }
    this.realms = props.realms;
    const owner = props.realms[0]!;
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_YEAR;
    const backupRetention = props.backupRetention ?? Duration.days(35);
    Tags.of(this).add('cdk-residency:realms', props.realms.join('+'));
    // The record the DataResidency pack checks the stack's stores against.
    for (const realm of props.realms) tagRealm(this, realm);

    this.realmKey = new RealmKey(this, 'RealmKey', { appKey: props.appKey, realms: props.realms });
    const encryptionKey = this.realmKey.key;
    this.tenantStore = new TenantStore(this, 'TenantStore', { encryptionKey, tableName: props.tableName });
    this.dataBucket = new DataBucket(this, 'DataBucket', {
      encryptionKey,
      bucketName: props.bucketName,
      accessLogRetention: Duration.days(logRetention),
      noncurrentVersionRetention: backupRetention,
    });
    this.appSecrets = new AppSecrets(this, 'AppSecrets', {
      appKey: props.appKey,
      realm: owner,
      encryptionKey,
      secrets: props.secrets ?? [],
    });
    this.availabilityZoneIds = props.availabilityZoneIds ?? DEFAULT_AVAILABILITY_ZONE_IDS[region];
    if (this.availabilityZoneIds === undefined) {
      Annotations.of(this).addWarningV2(
        'cdk-residency:availability-zones',
        `No default Availability Zone ids for ${region}: the subnets take the region's first two zones (Fn::GetAZs), which may lack an interface endpoint service. ` +
          `Name two AZ ids of ${region} in the config at realms.${owner}.availabilityZoneIds (RealmStack prop availabilityZoneIds).`,
      );
    }
    this.network = new PrivateNetwork(this, 'Network', { encryptionKey, logRetention, availabilityZoneIds: this.availabilityZoneIds });
    this.secureApi = new SecureApi(this, 'Api', {
      appKey: props.appKey,
      app: props.app,
      realm: owner,
      baseUrl,
      baseUrls: props.baseUrls,
      hostnames: props.hostnames,
      hostedZone: route53.HostedZone.fromHostedZoneAttributes(this, 'HostedZone', {
        hostedZoneId: props.hostedZone.id,
        zoneName: props.hostedZone.name,
      }),
      encryptionKey,
      tenantTable: this.tenantStore.table,
      dataBucket: this.dataBucket.bucket,
      appSecrets: [...this.appSecrets.secrets.values()],
      secretPrefix: this.appSecrets.prefix,
      network: this.network,
      logRetention,
      shredAfterDays: props.shredAfterDays ?? 30,
      forgeAppId: props.forgeAppId,
      ownsApiGatewayAccount: props.ownsApiGatewayAccount,
      reservedConcurrency: props.reservedConcurrency,
    });
    this.atlassianEgress = new AtlassianEgress(this, 'AtlassianEgress', { encryptionKey, logRetention, reservedConcurrency: props.reservedConcurrency });
    this.atlassianEgress.allowInvoke(this.secureApi.appFunction);
    if (props.directoryWriterName !== undefined) {
      this.directoryRelay = new DirectoryRelay(this, 'DirectoryRelay', {
        writerName: props.directoryWriterName,
        realms: props.realms,
        encryptionKey,
        logRetention,
        reservedConcurrency: props.reservedConcurrency,
      });
      this.directoryRelay.allowInvoke(this.secureApi.appFunction);
      // A stack of several realms records each install under the realm of the host Atlassian called.
      if (props.realms.length > 1) {
        const hosts = Object.fromEntries(props.hostnames.map((h, i) => [h.toLowerCase(), props.realms[i]!]));
        this.secureApi.appFunction.function.addEnvironment(ENV.realmHosts, JSON.stringify(hosts));
      }
    }
    this.sweep = new RealmSweep(this, 'Sweep', {
      appKey: props.appKey,
      realm: owner,
      baseUrl,
      table: this.tenantStore.table,
      bucket: this.dataBucket.bucket,
      encryptionKey,
      tenantAccess: this.secureApi.tenantAccess,
      shredAfterDays: props.shredAfterDays ?? 30,
      network: this.network,
      logRetention,
      reservedConcurrency: props.reservedConcurrency,
    });
    if (this.directoryRelay) this.sweep.reconcileThrough(this.directoryRelay);
    if (props.migration !== undefined) {
      this.migration = new RealmMigration(this, 'Migration', {
        appKey: props.appKey,
        realm: owner,
        realms: props.migration.realms,
        maxConcurrent: props.migration.maxConcurrent,
        directoryWriterName: props.directoryWriterName!,
        jurisdiction: jurisdictionOf(owner),
        encryptionKey,
        logRetention,
        reservedConcurrency: props.reservedConcurrency,
      });
      this.migration.allowInvoke(this.secureApi.appFunction);
    }
    this.realmBackup = new RealmBackup(this, 'Backup', {
      planName: props.backupPlanName ?? backupPlanName(props.appKey, owner),
      encryptionKey,
      removalPolicy: STATEFUL_REMOVAL_POLICY,
      retention: backupRetention,
      tables: [this.tenantStore.table],
      buckets: [this.dataBucket.bucket],
    });
  }

  /** The region's first two Availability Zones as tokens: no context lookup, with or without an account (subnets pinned by AZ id drop them). */
  public override get availabilityZones(): string[] {
    return [Fn.select(0, Fn.getAzs()), Fn.select(1, Fn.getAzs())];
  }
}
