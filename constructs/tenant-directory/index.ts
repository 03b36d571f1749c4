import { Aws, Duration } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ENV } from '../../runtime/lambda/environment';
import { acknowledge, dataResidencyFindingId, printedArn } from '../acknowledge';
import { EDGE_REGION } from '../edge-router';
import { AppFunction } from '../app-function';
import { handlerEntry } from '../app-function/handler-entry';
import { secretStatements } from '../secure-api/permissions';


/** The entry files of the directory functions; each exports `handler`. */
export const DIRECTORY_HANDLERS = {
  /** The edge's writer: applies directory requests to the KeyValueStore. */
  writer: handlerEntry(__dirname, 'writer'),
  /** A realm's relay: passes its app's directory requests on to the writer. */
  relay: handlerEntry(__dirname, 'relay'),
} as const;

/**
 * The fixed name of an app's directory writer (by its stack prefix): the realms invoke it
 * by ARN from other regions, which a generated name would need a cross-region reference for.
 */
export function directoryWriterName(stackPrefix: string): string {
  return `${stackPrefix.slice(0, 47)}-tenant-directory`;
}

/**
 * The fixed name of the directory key's secret, by the writer's name: the realms' relays read
 * it by name from other regions (hashing tenant ids at home), which a generated name would
 * need a cross-region reference for.
 */
export function directoryKeySecretName(writerName: string): string {
  return `${writerName}-key`;
}

/**
 * The ARN by which a realm reads the directory key secret (its name without the suffix
 * Secrets Manager appends), in us-east-1: what `RESIDENCY_DIRECTORY_KEY_SECRET_ARN` holds.
 */
export function directoryKeySecretArn(writerName: string): string {
  return `arn:${Aws.PARTITION}:secretsmanager:${EDGE_REGION}:${Aws.ACCOUNT_ID}:secret:${directoryKeySecretName(writerName)}`;
}

/**
 * What a function in a realm needs to read the directory key from another region: the secret
 * by name (any suffix Secrets Manager gave it) and `kms:Decrypt` of an edge key only through
 * Secrets Manager in us-east-1 and only for that secret. The edge key's policy delegates to
 * the account's IAM, so no statement is needed on the key itself.
 */
export function directoryKeyReadStatements(writerName: string): iam.PolicyStatement[] {
  const secret = `${directoryKeySecretArn(writerName)}-??????`;
  return [
    new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret] }),
    new iam.PolicyStatement({
      actions: ['kms:Decrypt'],
      resources: [`arn:${Aws.PARTITION}:kms:${EDGE_REGION}:${Aws.ACCOUNT_ID}:key/*`],
      conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${EDGE_REGION}.amazonaws.com` }, StringLike: { 'kms:EncryptionContext:SecretARN': secret } },
    }),
  ];
}

/** The ARN of the directory writer named `name` (see {@link directoryWriterName}), in us-east-1. */
export function directoryWriterArn(name: string): string {
  return `arn:${Aws.PARTITION}:lambda:${EDGE_REGION}:${Aws.ACCOUNT_ID}:function:${name}`;
}

/** Props of {@link DirectoryWriter}. */
export interface DirectoryWriterProps {
  /** The function's fixed name, from {@link directoryWriterName}. */
  readonly functionName: string;
  /** The tenant directory the edge router reads. */
  readonly directory: cloudfront.IKeyValueStore;
  /** The secret holding the directory key. */
  readonly keySecret: secretsmanager.ISecret;
  /** The app's configured realms: the only realms it records tenants in. */
  readonly realms: readonly string[];
  /** The edge's key: the secret's key, the function's environment and logs. */
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
 * The only writer of the tenant directory, in the edge stack (us-east-1): a function that
 * applies `setRealm`, `remove`, `realmOf` and `reconcile` requests from the realms'
 * {@link DirectoryRelay}s to the KeyValueStore. The realms send slots (keyed hashes made at
 * home), never tenant ids; the writer refuses a request that carries one. It may read the
 * directory key (to copy it into the store's reserved entry) and read and write that store,
 * nothing else.
 */
export class DirectoryWriter extends Construct {
  /** The writer function. */
  public readonly function: AppFunction;

  constructor(scope: Construct, id: string, props: DirectoryWriterProps) {
    super(scope, id);
    this.function = new AppFunction(this, 'Function', {
      entry: DIRECTORY_HANDLERS.writer,
      functionName: props.functionName,
      // Shorter than each caller's (relay 8 s, migration 12 s, app 15 s), so a slow write is reported, not cut off.
      timeout: Duration.seconds(6),
      description: 'cdk-residency: writes the hashed tenant directory (slots hashed in each realm -> realm)',
      encryptionKey: props.encryptionKey,
      logRetention: props.logRetention,
      reservedConcurrentExecutions: props.reservedConcurrency,
      environment: {
        [ENV.directoryKvsArn]: props.directory.keyValueStoreArn,
        [ENV.directoryKeySecretArn]: props.keySecret.secretArn,
        [ENV.directoryRealms]: JSON.stringify(props.realms),
      },
    });
    this.function.addToDataPolicy(
      new iam.PolicyStatement({
        actions: [
          'cloudfront-keyvaluestore:DescribeKeyValueStore',
          'cloudfront-keyvaluestore:GetKey',
          'cloudfront-keyvaluestore:PutKey',
          'cloudfront-keyvaluestore:UpdateKeys',
        ],
        resources: [props.directory.keyValueStoreArn],
      }),
      ...secretStatements(this, [props.keySecret], props.encryptionKey),
    );
    acknowledgeDirectoryFunction(
      this.function,
      'It writes the CloudFront KeyValueStore through its global data-plane endpoint, which has no VPC endpoint; it holds ' +
        'no tenant data: its only permissions are that one store and the secret of the directory key, and it receives keyed hashes, never a tenant id.',
    );
  }
}

/** Props of {@link DirectoryRelay}. */
export interface DirectoryRelayProps {
  /** The fixed name of the edge's directory writer, from {@link directoryWriterName}. */
  readonly writerName: string;
  /** The realms of the relay's stack: the only realms it records tenants in. */
  readonly realms: readonly string[];
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
 * A realm's way to the tenant directory: the app's functions run in a VPC without a route
 * out, and reach only this region's services through VPC endpoints. They invoke this
 * function (through the VPC's Lambda endpoint), which runs outside the VPC, hashes the
 * tenant id here under the directory key (read from the edge's secret), and invokes the
 * edge's {@link DirectoryWriter} in us-east-1 with only the slot and realm name. Its
 * permissions are reading that one secret and that one invocation.
 */
export class DirectoryRelay extends Construct {
  /** The relay function. */
  public readonly function: AppFunction;

  constructor(scope: Construct, id: string, props: DirectoryRelayProps) {
    super(scope, id);
    const writerArn = directoryWriterArn(props.writerName);
    this.function = new AppFunction(this, 'Function', {
      entry: DIRECTORY_HANDLERS.relay,
      description: "cdk-residency: passes tenant directory requests on to the edge's directory writer",
      encryptionKey: props.encryptionKey,
      logRetention: props.logRetention,
      reservedConcurrentExecutions: props.reservedConcurrency,
      environment: {
        [ENV.directoryFunction]: writerArn,
        [ENV.directoryRealms]: JSON.stringify(props.realms),
        [ENV.directoryKeySecretArn]: directoryKeySecretArn(props.writerName),
      },
      timeout: Duration.seconds(8),
    });
    this.function.addToDataPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [writerArn] }), ...directoryKeyReadStatements(props.writerName));
    acknowledgeEdgeReferences(this.function, props.writerName);
    acknowledgeDirectoryFunction(
      this.function,
      "It invokes the edge's directory writer and reads the directory key's secret in us-east-1, which the realm's isolated VPC " +
        "cannot reach (Lambda's VPC endpoints serve their own region only); it holds no tenant data: its only permissions are that " +
        'invocation and that one secret.',
    );
  }

  /** Lets `fn` invoke the relay, and tells it where the relay is (`RESIDENCY_DIRECTORY_FUNCTION`). */
  public allowInvoke(fn: AppFunction): void {
    fn.function.addEnvironment(ENV.directoryFunction, this.function.function.functionName);
    fn.addToDataPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.function.function.functionArn] }));
  }
}

/**
 * Acknowledges, on `fn` and its data policy, the DataResidency findings of a realm function
 * naming the edge's writer and directory key secret in us-east-1 (outside every realm's
 * jurisdiction but US and Global): only a pseudonymisation key is read and only keyed
 * hashes are sent. Also used by a realm's migration function, which flips the directory.
 */
export function acknowledgeEdgeReferences(fn: AppFunction, writerName: string): void {
  const toEdge =
    "This names only the edge's directory writer and the directory key's secret in us-east-1, the global tenant directory's " +
    'metadata-only exception: the function reads the pseudonymisation key and sends the writer a keyed hash of a tenant id ' +
    '(hashed here, in the realm) and a realm name; no tenant id, tenant data or other secret leaves the region.';
  const writer = printedArn('lambda', EDGE_REGION, `function:${writerName}`);
  const secret = printedArn('secretsmanager', EDGE_REGION, `secret:${directoryKeySecretName(writerName)}`);
  const definition = fn.function.node.defaultChild!;
  acknowledge(definition, toEdge, dataResidencyFindingId('LambdaEnvironmentInJurisdiction', `Variable::${ENV.directoryFunction}::${writer}`, EDGE_REGION));
  acknowledge(definition, toEdge, dataResidencyFindingId('LambdaEnvironmentInJurisdiction', `Variable::${ENV.directoryKeySecretArn}::${secret}`, EDGE_REGION));
  const policy = fn.dataPolicy!.node.defaultChild!;
  acknowledge(
    policy,
    toEdge,
    dataResidencyFindingId('IAMPolicyInJurisdiction', `Resource::${writer}`, EDGE_REGION),
    dataResidencyFindingId('IAMPolicyInJurisdiction', `Resource::${secret}-??????`, EDGE_REGION),
    dataResidencyFindingId('IAMPolicyInJurisdiction', `Resource::${printedArn('kms', EDGE_REGION, 'key/*')}`, EDGE_REGION),
  );
  acknowledge(
    policy,
    "The edge key's id is generated in the edge stack, so the statement names key/* in us-east-1; its conditions admit only " +
      "Secrets Manager in us-east-1 decrypting the directory key's secret (kms:ViaService and the SecretARN encryption context).",
    `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:${EDGE_REGION}:<AWS::AccountId>:key/*]`,
  );
}

function acknowledgeDirectoryFunction(fn: AppFunction, outsideVpcReason: string): void {
  fn.acknowledgeSynchronousOnly(
    'Invoked synchronously only (RequestResponse, by the installed and uninstalled hooks and a migration commit): a failure ' +
      'reaches the caller, which answers Atlassian with an error (a failed install is retried by the admin, a migration hook by ' +
      'Atlassian), and nothing is queued for a dead-letter queue to hold.',
  );
  fn.acknowledgeOutsideVpc(outsideVpcReason);
}
