import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from '../acknowledge';
import { RealmLogGroup } from '../realm-log-group';
import { bundledCode } from './bundling';
import { LAMBDA_RUNTIME, XRAY_WRITE_ACTIONS } from './runtime';

export { BUNDLE_TARGET, BUNDLING, ESBUILD_OPTIONS } from './bundling';
export { handlerEntry } from './handler-entry';
export { LAMBDA_RUNTIME, XRAY_WRITE_ACTIONS } from './runtime';

/** Props of {@link AppFunction}. */
export interface AppFunctionProps {
  /** The handler file (TypeScript or JavaScript) that exports `handler`. */
  readonly entry: string;
  /**
   * Extra esbuild arguments, over the shared bundling (such as `--alias:<specifier>`).
   * @default - none
   */
  readonly esbuildArgs?: Record<string, string | boolean>;
  /**
   * A fixed function name, for a function that another stack (in another region) invokes by
   * ARN: a cross-region reference would need a custom resource.
   * @default - a name CloudFormation generates
   */
  readonly functionName?: string;
  /**
   * What the function is for.
   * @default - none
   */
  readonly description?: string;
  /** The realm key: encrypts the environment at rest and the function's log group. */
  readonly encryptionKey: kms.IKey;
  /** How long the function's log events are kept. */
  readonly logRetention: logs.RetentionDays;
  /**
   * Environment variables (encrypted at rest with the realm key).
   * @default - none
   */
  readonly environment?: Record<string, string>;
  /**
   * The VPC to place the function in; give `securityGroups` with it.
   * @default - not in a VPC
   */
  readonly vpc?: ec2.IVpc;
  /**
   * The subnets of `vpc` to place the function in.
   * @default - the isolated subnets of `vpc`
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * The function's security groups in `vpc`.
   * @default - none; required when `vpc` is given
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /**
   * Concurrent executions reserved for (and capped at) this function: it bounds the load one
   * function can put on the tenant table and KMS. Lambda keeps 100 executions of a region
   * unreserved, so the account's concurrency limit must be at least 100 plus what all its
   * functions there reserve; new accounts start lower (see {@link reservedConcurrencyByRegion}).
   * @default - none reserved; the HIPAA and NIST LambdaConcurrency findings are acknowledged
   */
  readonly reservedConcurrentExecutions?: number;
  /**
   * Memory in MB (CPU scales with it).
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * How long one invocation may run. API Gateway gives up after 29 seconds anyway.
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;
}

/**
 * A Node.js Lambda function with the project's secure defaults: the one runtime
 * ({@link LAMBDA_RUNTIME}) on ARM64, shared bundling, X-Ray tracing, a log group under
 * the realm key with retention, the environment encrypted with the realm key, optional reserved
 * concurrency, and an execution role that holds customer-managed policies only.
 *
 * The role has no inline policy: CDK `grant*` calls write one (with wildcards such as
 * `kms:ReEncrypt*`), which HIPAA, NIST and PCI flag. Give the function data permissions
 * with {@link addToDataPolicy}, exact actions on exact resources; synthesis fails if a
 * grant adds an inline policy to the role anyway.
 */
export class AppFunction extends Construct {
  /** The Lambda function. */
  public readonly function: nodejs.NodejsFunction;
  /** The execution role (assumable by Lambda only). */
  public readonly role: iam.Role;
  /** The function's log group. */
  public readonly logGroup: RealmLogGroup;
  /** What the function needs to run at all: its log group, X-Ray, and its network interfaces when in a VPC. */
  public readonly runtimePolicy: iam.ManagedPolicy;
  private dataPolicyResource?: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    super(scope, id);
    if (props.vpc && !props.securityGroups?.length) {
      throw new Error(`AppFunction ${this.node.path}: found a vpc without securityGroups; expected the security groups that bound its traffic`);
    }
    if (!props.vpc && (props.vpcSubnets || props.securityGroups)) {
      throw new Error(`AppFunction ${this.node.path}: found vpcSubnets or securityGroups without a vpc; expected a vpc with them`);
    }
    this.logGroup = new RealmLogGroup(this, 'Logs', { encryptionKey: props.encryptionKey, retention: props.logRetention });
    this.runtimePolicy = new iam.ManagedPolicy(this, 'RuntimePolicy', {
      description: `cdk-residency: what ${this.node.path} needs to run`,
      statements: runtimeStatements(this.logGroup.logGroup, props.vpc !== undefined),
    });
    acknowledge(
      this.runtimePolicy.node.defaultChild!,
      'X-Ray PutTraceSegments/PutTelemetryRecords and the EC2 network-interface actions Lambda uses to attach a ' +
        'function to its subnets support no resource-level permissions (Resource "*" per the service authorization ' +
        'reference); the role is assumable by lambda.amazonaws.com only and holds no data permission in this policy.',
      'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
    );
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `cdk-residency: execution role of ${this.node.path}`,
      managedPolicies: [this.runtimePolicy],
    });

    this.function = new nodejs.NodejsFunction(this, 'Resource', {
      code: bundledCode(props.entry, props.esbuildArgs),
      entry: props.entry,
      handler: 'index.handler',
      functionName: props.functionName,
      description: props.description,
      runtime: LAMBDA_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      role: this.role,
      logGroup: this.logGroup.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: props.environment,
      environmentEncryption: props.encryptionKey,
      vpc: props.vpc,
      vpcSubnets: props.vpc ? (props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }) : undefined,
      securityGroups: props.securityGroups,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
    });
    // Tracing on the L1: the L2 `tracing` option writes its X-Ray statement as an inline policy.
    (this.function.node.defaultChild as lambda.CfnFunction).tracingConfig = { mode: lambda.Tracing.ACTIVE };
    if (props.reservedConcurrentExecutions === undefined) {
      acknowledge(
        this.function.node.defaultChild!,
        'No reserved concurrency by default: reserving for every function can take a region below the 100 unreserved ' +
          'executions Lambda requires and fail the deploy on accounts with a low concurrency limit. The function still runs ' +
          "within the account's regional concurrency limit, and its callers are bounded upstream (API Gateway stage throttling " +
          'and the WAF per-IP rate rule); set functions.reservedConcurrency (RealmStack reservedConcurrency) to cap each function.',
        'HIPAA.Security::HIPAA.Security-LambdaConcurrency',
        'NIST.800.53.R5::NIST.800.53.R5-LambdaConcurrency',
      );
    }

    this.node.addValidation({
      validate: () =>
        this.role.node.tryFindChild('DefaultPolicy')
          ? [`AppFunction ${this.node.path}: a grant wrote an inline policy to the execution role; expected permissions added with addToDataPolicy (customer-managed, exact actions and resources)`]
          : [],
    });
  }

  /**
   * Acknowledges, on the function's L1, the dead-letter-queue rules (HIPAA, NIST, Serverless):
   * for a function that is only ever invoked synchronously. `reason` says who invokes it and
   * what happens to a failure.
   */
  public acknowledgeSynchronousOnly(reason: string): void {
    acknowledge(
      this.function.node.defaultChild!,
      reason,
      'HIPAA.Security::HIPAA.Security-LambdaDLQ',
      'NIST.800.53.R5::NIST.800.53.R5-LambdaDLQ',
      'Serverless::Serverless-LambdaDLQ',
    );
  }

  /**
   * Acknowledges, on the function's L1, the rules that want it in a VPC (HIPAA, NIST, PCI,
   * Control Tower). `reason` says what it must reach that the isolated VPC cannot, and what bounds it.
   */
  public acknowledgeOutsideVpc(reason: string): void {
    acknowledge(
      this.function.node.defaultChild!,
      reason,
      'HIPAA.Security::HIPAA.Security-LambdaInsideVPC',
      'NIST.800.53.R5::NIST.800.53.R5-LambdaInsideVPC',
      'PCI.DSS.321::PCI.DSS.321-LambdaInsideVPC',
      'cdk-validator-cfnguard::lambda_inside_vpc_check',
    );
  }

  /** The customer-managed policy holding the function's data permissions, if any were added. */
  public get dataPolicy(): iam.ManagedPolicy | undefined {
    return this.dataPolicyResource;
  }

  /**
   * Adds statements to the function's data policy, a customer-managed policy attached to
   * its role (created on first use). Give exact actions and exact resources.
   */
  public addToDataPolicy(...statements: iam.PolicyStatement[]): void {
    if (!this.dataPolicyResource) {
      this.dataPolicyResource = new iam.ManagedPolicy(this, 'DataPolicy', {
        description: `cdk-residency: the data ${this.node.path} may use`,
      });
      this.role.addManagedPolicy(this.dataPolicyResource);
    }
    for (const s of statements) this.dataPolicyResource.addStatements(s);
  }
}

function runtimeStatements(logGroup: logs.ILogGroup, inVpc: boolean): iam.PolicyStatement[] {
  const statements = [
    // The group's ARN ends in ':*', which covers its log streams.
    new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
    new iam.PolicyStatement({ actions: [...XRAY_WRITE_ACTIONS], resources: ['*'] }),
  ];
  if (inVpc) {
    // What the AWS-managed AWSLambdaVPCAccessExecutionRole holds, written as our own policy.
    statements.push(
      new iam.PolicyStatement({
        actions: [
          'ec2:CreateNetworkInterface',
          'ec2:DescribeNetworkInterfaces',
          'ec2:DescribeSubnets',
          'ec2:DeleteNetworkInterface',
          'ec2:AssignPrivateIpAddresses',
          'ec2:UnassignPrivateIpAddresses',
        ],
        resources: ['*'],
      }),
    );
  }
  return statements;
}
