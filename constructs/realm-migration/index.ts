import { Aws, Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ENV } from '../../runtime/lambda/environment';
import type { MigrationRealmSettings } from '../../runtime/lambda/settings';
import { acknowledge, dataResidencyFindingId, printedArn } from '../acknowledge';
import { AppFunction } from '../app-function';
import { handlerEntry } from '../app-function/handler-entry';
import { APP_TABLE_ACTIONS } from '../secure-api/permissions';
import { acknowledgeEdgeReferences, directoryKeyReadStatements, directoryKeySecretArn, directoryWriterArn } from '../tenant-directory';

/** The entry file of the migration function; it exports `handler`. */
export const MIGRATION_HANDLER = handlerEntry(__dirname, 'mover');

/** Props of {@link RealmMigration}. */
export interface RealmMigrationProps {
  /** The Atlassian app key (encryption context `app`). */
  readonly appKey: string;
  /** The realm that owns the stack: the source of every migration this function runs. */
  readonly realm: string;
  /** Every realm a tenant may move between, this one included, as `RESIDENCY_MIGRATION_REALMS` gives them. */
  readonly realms: Readonly<Record<string, MigrationRealmSettings>>;
  /** Migrations out of this realm that may be open at once (E0004 beyond). */
  readonly maxConcurrent: number;
  /** The fixed name of the edge's tenant directory writer ({@link directoryWriterName}), which a commit flips. */
  readonly directoryWriterName: string;
  /** The regions of this realm's jurisdiction: stores elsewhere are acknowledged as migration destinations. */
  readonly jurisdiction: readonly string[];
  /** The realm key: the function's environment and logs. */
  readonly encryptionKey: kms.IKey;
  /** How long the function's log events are kept. */
  readonly logRetention: logs.RetentionDays;
  /**
   * Concurrent executions reserved for (and capped at) its function ({@link AppFunctionProps.reservedConcurrentExecutions}).
   * @default - none reserved
   */
  readonly reservedConcurrency?: number;
}

/**
 * The realm's migration function: runs Atlassian's data residency migration hooks
 * (`MigrationEngine`) for tenants leaving this realm, copying each tenant's record,
 * re-wrapped data key, items and objects into the target realm's stores in the target's
 * region, verifying them, and on commit flipping the tenant directory and deleting the
 * source copy.
 *
 * It runs outside the VPC: no VPC path reaches another region's DynamoDB, KMS and S3. What
 * bounds it instead: it has no API route (the app function invokes it after the hook's
 * token is verified); its policy names each realm's table, bucket and key (by alias, with
 * the tenant encryption context), and nothing else but the directory writer.
 */
export class RealmMigration extends Construct {
  /** The migration function. */
  public readonly function: AppFunction;
  /** Lets the function invoke itself (its continuations), and nothing else. */
  public readonly continuePolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: RealmMigrationProps) {
    super(scope, id);
    const writerArn = directoryWriterArn(props.directoryWriterName);
    if (!props.realms[props.realm]) throw new Error(`RealmMigration ${this.node.path}: found no settings for this realm (${props.realm}) in realms; expected every realm, this one included`);
    this.function = new AppFunction(this, 'Function', {
      entry: MIGRATION_HANDLER,
      description: 'cdk-residency: data residency migrations out of this realm (copy, verify, commit, roll back)',
      encryptionKey: props.encryptionKey,
      logRetention: props.logRetention,
      reservedConcurrentExecutions: props.reservedConcurrency,
      environment: {
        [ENV.appKey]: props.appKey,
        [ENV.realm]: props.realm,
        [ENV.migrationRealms]: JSON.stringify(props.realms),
        [ENV.migrationMaxConcurrent]: String(props.maxConcurrent),
        [ENV.directoryFunction]: writerArn,
        // A commit flips the directory by the tenant's slot, hashed here: no tenant id leaves the realm.
        [ENV.directoryKeySecretArn]: directoryKeySecretArn(props.directoryWriterName),
      },
      // A hook call works 5 s (a commit also waits on the directory writer, a rollback up to a lease
      // of 10 s for the copy it stops) and the app function waits 15 s; a continuation works 60 s.
      timeout: Duration.seconds(90),
    });
    // Invoking itself: a separate policy naming the role, so the role (which the function
    // depends on) does not depend on a policy that names the function.
    this.continuePolicy = new iam.ManagedPolicy(this, 'ContinuePolicy', {
      description: `cdk-residency: ${this.node.path} continues a migration in a new invocation of itself`,
      roles: [this.function.role],
      statements: [new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.function.function.functionArn] })],
    });
    // One set of statements per stack (realms sharing a stack share its stores).
    const stores = new Map<string, MigrationRealmSettings>();
    for (const settings of Object.values(props.realms)) stores.set(settings.stackRealm, settings);
    this.function.addToDataPolicy(
      ...[...stores.values()].flatMap((s) => storeStatements(props.appKey, s)),
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [writerArn] }),
      ...directoryKeyReadStatements(props.directoryWriterName),
    );
    acknowledgeMigrationFunction(this.function);
    this.acknowledgeDestinations(props, [...stores.values()]);
  }

  /**
   * Acknowledges, finding by finding, what the DataResidency and AwsSolutions packs rightly
   * flag: the stores of realms outside this realm's jurisdiction, which a migration the
   * customer requested writes to, and the key and object wildcards of every realm.
   */
  private acknowledgeDestinations(props: RealmMigrationProps, stores: readonly MigrationRealmSettings[]): void {
    const fn = this.function.function.node.defaultChild!;
    const policy = this.function.dataPolicy!.node.defaultChild!;
    const migrate =
      "A tenant's data residency migration, which the customer requests in the Atlassian admin, moves its data to the realm " +
      "it chose; this function writes another realm's stores only for such a migration, with that realm's key and the tenant's " +
      'encryption context, and a committed migration leaves no copy behind.';
    const outside = (region: string) => !props.jurisdiction.includes(region);
    for (const s of stores) {
      // The bucket's name as the packs print it: the account id as <AWS::AccountId>.
      const bucketName = s.bucketName?.replace(Aws.ACCOUNT_ID, '<AWS::AccountId>');
      const bucket = `arn:aws:s3:::${bucketName}`;
      const found = [printedArn('dynamodb', s.region, `table/${s.tableName}`), printedArn('kms', s.region, 'key/*'), ...(bucketName ? [bucket, `${bucket}/*`] : [])];
      if (outside(s.region)) acknowledge(policy, migrate, ...found.map((f) => dataResidencyFindingId('IAMPolicyInJurisdiction', `Resource::${f}`, s.region)));
      acknowledge(
        policy,
        "The key's id is generated in its own realm's stack, so the statement names key/* in that region and the " +
          "kms:ResourceAliases condition admits only the key carrying that realm's alias, with the tenant encryption context.",
        `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:${s.region}:<AWS::AccountId>:key/*]`,
      );
      if (bucketName) {
        acknowledge(
          policy,
          "Tenant objects are keyed by the tenant's prefix, which is known only per request; the statement names one realm's " +
            'data bucket, and the engine lists, reads and deletes only under the migrating tenant\'s prefix.',
          `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${bucketName}/*]`,
        );
      }
    }
    for (const s of Object.values(props.realms)) {
      if (!outside(s.region)) continue;
      const alias = printedArn('kms', s.region, aliasOf(s));
      acknowledge(fn, migrate, dataResidencyFindingId('LambdaEnvironmentInJurisdiction', `Variable::${ENV.migrationRealms}::${alias}`, s.region));
    }
    acknowledgeEdgeReferences(this.function, props.directoryWriterName);
  }

  /** Lets `fn` run migration hooks on this function, and tells it where it is (`RESIDENCY_MIGRATION_FUNCTION`). */
  public allowInvoke(fn: AppFunction): void {
    fn.function.addEnvironment(ENV.migrationFunction, this.function.function.functionName);
    fn.addToDataPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.function.function.functionArn] }));
  }
}

/** The alias (`alias/<app-key>/<realm>`) of a realm's key, from its `keyArn`, an alias ARN. */
function aliasOf(s: MigrationRealmSettings): string {
  return s.keyArn.slice(s.keyArn.indexOf(':alias/') + 1);
}

/**
 * What a migration needs of one realm stack's stores: tenant items in its table, tenant data
 * keys under its key (only with the tenant encryption context of that stack's realm), its
 * objects, and the key's use by DynamoDB and S3 for that table and bucket, in its region.
 */
function storeStatements(appKey: string, s: MigrationRealmSettings): iam.PolicyStatement[] {
  const arn = (service: string, resource: string) => `arn:${Aws.PARTITION}:${service}:${s.region}:${Aws.ACCOUNT_ID}:${resource}`;
  const bucket = `arn:${Aws.PARTITION}:s3:::${s.bucketName}`;
  const alias = aliasOf(s);
  // The key's id is generated in another stack: it is named by its alias, which only that key carries.
  const key = { resources: [arn('kms', 'key/*')], aliased: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': alias } } };
  const statements = [
    new iam.PolicyStatement({ actions: APP_TABLE_ACTIONS.map((a) => `dynamodb:${a}`), resources: [arn('dynamodb', `table/${s.tableName}`)] }),
    new iam.PolicyStatement({
      actions: ['kms:Decrypt'],
      resources: key.resources,
      conditions: { ...key.aliased, StringEquals: { 'kms:ViaService': `dynamodb.${s.region}.amazonaws.com`, 'kms:EncryptionContext:aws:dynamodb:tableName': s.tableName } },
    }),
    new iam.PolicyStatement({
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: key.resources,
      conditions: {
        ...key.aliased,
        StringEquals: { 'kms:EncryptionContext:app': appKey, 'kms:EncryptionContext:realm': s.stackRealm },
        Null: { 'kms:EncryptionContext:tenant': 'false' },
      },
    }),
  ];
  if (s.bucketName) {
    statements.push(
      new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket] }),
      new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], resources: [`${bucket}/*`] }),
      // SSE-KMS with a bucket key: S3 asks KMS for the bucket's key under the bucket's ARN as context.
      new iam.PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: key.resources,
        conditions: { ...key.aliased, StringEquals: { 'kms:ViaService': `s3.${s.region}.amazonaws.com`, 'kms:EncryptionContext:aws:s3:arn': bucket } },
      }),
    );
  }
  return statements;
}

function acknowledgeMigrationFunction(fn: AppFunction): void {
  fn.acknowledgeSynchronousOnly(
    'Invoked synchronously by the app function answering an Atlassian migration hook (a failure reaches Atlassian, which calls ' +
      'again), and asynchronously only by itself, to continue a migration it records step by step: a continuation that failed ' +
      'or was dropped is started again by the next status poll once its lease lapsed, so no event waits for a dead-letter queue.',
  );
  fn.acknowledgeOutsideVpc(
    "A customer-requested residency migration copies the tenant to another realm's region, and no VPC path reaches another " +
      "region's DynamoDB, KMS or S3 endpoints. The function has no API route (only the app function invokes it, after verifying " +
      "the hook's token), and its policy names exactly the realms' tables, buckets and keys and the directory writer.",
  );
}
