import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AppFunction, BUNDLE_TARGET, BUNDLING, ESBUILD_OPTIONS, LAMBDA_RUNTIME } from '../../constructs/app-function';
import { DEFAULT_HANDLERS } from '../../constructs/secure-api';
import { NO_BUNDLING } from '../helpers/example-app';

function fixture() {
  const app = new App({ context: NO_BUNDLING });
  const stack = new Stack(app, 'S', { env: { region: 'eu-central-1' } });
  const key = new kms.Key(stack, 'Key');
  const fn = new AppFunction(stack, 'Fn', { entry: DEFAULT_HANDLERS.installAuthorizer, encryptionKey: key, logRetention: logs.RetentionDays.ONE_MONTH });
  return { app, stack, key, fn };
}

describe('LAMBDA_RUNTIME and the shared bundling', () => {
  it('is the newest Node.js runtime the pinned aws-cdk-lib knows (what AwsSolutions-L1 demands)', () => {
    const version = (r: lambda.Runtime) => Number(/^nodejs(\d+)/.exec(r.name)?.[1] ?? 0);
    const newest = Math.max(...lambda.Runtime.ALL.filter((r) => r.family === lambda.RuntimeFamily.NODEJS).map(version));
    expect(version(LAMBDA_RUNTIME)).toBe(newest);
  });

  it('targets the runtime, minifies, bundles everything (the AWS SDK from its ES modules) and ships no source map', () => {
    expect(BUNDLE_TARGET).toBe(LAMBDA_RUNTIME.name.replace(/^nodejs(\d+)\.x$/, 'node$1'));
    expect(ESBUILD_OPTIONS).toMatchObject({ target: BUNDLE_TARGET, mainFields: ['module', 'main'], minify: true, sourcemap: false, sourcesContent: false, external: [] });
    expect(BUNDLING).toEqual({ format: 'cjs', target: BUNDLE_TARGET, mainFields: ['module', 'main'], minify: true, sourceMap: false, sourcesContent: false, externalModules: [] });
  });
});

describe('AppFunction', () => {
  it('runs on ARM64 and LAMBDA_RUNTIME, traced, reserving no concurrency, its environment and log group under the key', () => {
    const { stack, key, fn } = fixture();
    const t = Template.fromStack(stack);
    const keyArn = { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] };
    t.hasResourceProperties('AWS::Lambda::Function', {
      Architectures: ['arm64'],
      Runtime: LAMBDA_RUNTIME.name,
      TracingConfig: { Mode: 'Active' },
      ReservedConcurrentExecutions: Match.absent(),
      KmsKeyArn: keyArn,
      MemorySize: 512,
      Timeout: 10,
    });
    t.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: keyArn, RetentionInDays: 30 });
    expect(fn.dataPolicy).toBeUndefined();
  });

  it('reserves the concurrency it is given', () => {
    const { stack, key } = fixture();
    new AppFunction(stack, 'Capped', { entry: DEFAULT_HANDLERS.installAuthorizer, encryptionKey: key, logRetention: logs.RetentionDays.ONE_MONTH, reservedConcurrentExecutions: 7 });
    const reserved = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')).map((f) => f.Properties.ReservedConcurrentExecutions);
    expect(reserved.sort()).toEqual([7, undefined]);
  });

  it('gives its role customer-managed policies only, and no inline policy even with tracing on', () => {
    const { stack, fn } = fixture();
    fn.addToDataPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/k'] }));
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::IAM::Policy', 0);
    t.resourceCountIs('AWS::IAM::ManagedPolicy', 2);
    const role = Object.values(t.findResources('AWS::IAM::Role'))[0]!;
    expect(role.Properties.ManagedPolicyArns).toHaveLength(2);
    expect(JSON.stringify(role.Properties.ManagedPolicyArns)).not.toContain('arn:aws:iam::aws:policy');
  });

  it('writes its log statements for its own log group, and "*" only for X-Ray', () => {
    const { stack, fn } = fixture();
    const t = Template.fromStack(stack);
    const doc = t.toJSON().Resources[stack.getLogicalId(fn.runtimePolicy.node.defaultChild as iam.CfnManagedPolicy)].Properties.PolicyDocument;
    expect(doc.Statement).toEqual([
      { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [stack.getLogicalId(fn.logGroup.logGroup.node.defaultChild as logs.CfnLogGroup), 'Arn'] } },
      { Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' },
    ]);
  });

  it('fails synthesis when a grant writes an inline policy to its role', () => {
    const { app, stack, fn } = fixture();
    new s3.Bucket(stack, 'Bucket').grantRead(fn.function);
    expect(() => app.synth()).toThrow(/a grant wrote an inline policy to the execution role; expected permissions added with addToDataPolicy/);
  });

  it('refuses a VPC without security groups', () => {
    const { stack, key } = fixture();
    const vpc = new ec2.Vpc(stack, 'Vpc', { subnetConfiguration: [{ name: 'I', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    expect(
      () => new AppFunction(stack, 'InVpc', { entry: DEFAULT_HANDLERS.connectAuthorizer, encryptionKey: key, logRetention: logs.RetentionDays.ONE_DAY, vpc }),
    ).toThrow(/found a vpc without securityGroups/);
  });
});
