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
 * applies `setRealm`, `remove` and `realmOf` requests from the realms' {@link DirectoryRelay}s
 * to the KeyValueStore, hashing each tenant id under the directory key. It may read that
 * key and read and write that store, nothing else; it sees tenant ids, never tenant data.
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
      description: 'cdk-residency: writes the hashed tenant directory (tenant id hash -> realm)',
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
          'cloudfront-keyvaluestore:DeleteKey',
        ],
        resources: [props.directory.keyValueStoreArn],
      }),
      ...secretStatements(this, [props.keySecret], props.encryptionKey),
    );
    acknowledgeDirectoryFunction(
      this.function,
      'It writes the CloudFront KeyValueStore through its global data-plane endpoint, which has no VPC endpoint; it holds ' +
        'no tenant data: its only permissions are that one store and the secret of the directory key, and it receives tenant ids, not data.',
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
 * function (through the VPC's Lambda endpoint), which runs outside the VPC and invokes the
 * edge's {@link DirectoryWriter} in us-east-1. Its one permission is that invocation.
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
      environment: { [ENV.directoryFunction]: writerArn, [ENV.directoryRealms]: JSON.stringify(props.realms) },
      timeout: Duration.seconds(8),
    });
    this.function.addToDataPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [writerArn] }));
    // Outside the US jurisdiction, the writer's ARN (us-east-1) is a place the DataResidency pack cannot prove holds no data.
    const toEdge =
      "This names only the edge's directory writer in us-east-1, the global tenant directory's one metadata-only exception: " +
      'the relay sends it a tenant id and a realm name, which the writer stores as a keyed hash; no tenant data, secret or key crosses.';
    const writer = printedArn('lambda', EDGE_REGION, `function:${props.writerName}`);
    acknowledge(
      this.function.function.node.defaultChild!,
      toEdge,
      dataResidencyFindingId('LambdaEnvironmentInJurisdiction', `Variable::${ENV.directoryFunction}::${writer}`, EDGE_REGION),
    );
    acknowledge(this.function.dataPolicy!.node.defaultChild!, toEdge, dataResidencyFindingId('IAMPolicyInJurisdiction', `Resource::${writer}`, EDGE_REGION));
    acknowledgeDirectoryFunction(
      this.function,
      "It invokes the edge's directory writer in us-east-1, which the realm's isolated VPC cannot reach (Lambda's VPC " +
        'endpoints serve their own region only); it holds no data, no key and no secret: its only permission is that one invocation.',
    );
  }

  /** Lets `fn` invoke the relay, and tells it where the relay is (`RESIDENCY_DIRECTORY_FUNCTION`). */
  public allowInvoke(fn: AppFunction): void {
    fn.function.addEnvironment(ENV.directoryFunction, this.function.function.functionName);
    fn.addToDataPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.function.function.functionArn] }));
  }
}

function acknowledgeDirectoryFunction(fn: AppFunction, outsideVpcReason: string): void {
  fn.acknowledgeSynchronousOnly(
    'Invoked synchronously only (RequestResponse, by the installed and uninstalled hooks and a migration commit): a failure ' +
      'reaches the caller, which answers Atlassian with an error (a failed install is retried by the admin, a migration hook by ' +
      'Atlassian), and nothing is queued for a dead-letter queue to hold.',
  );
  fn.acknowledgeOutsideVpc(outsideVpcReason);
}
