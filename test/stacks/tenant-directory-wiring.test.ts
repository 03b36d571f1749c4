import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AppFunction } from '../../constructs/app-function';
import { directoryWriterName } from '../../constructs/tenant-directory';
import { parseConfig } from '../../lib/config';
import { addResidencyStacks } from '../../lib/stacks/residency-app';
import { ENV } from '../../runtime/lambda/environment';
import { NO_BUNDLING } from '../helpers/example-app';
import { logicalIdOf } from '../helpers/logical-id';
import { exampleConfigJson } from '../helpers/example-config';

const config = parseConfig(exampleConfigJson());
const app = new App({ context: NO_BUNDLING });
const { realmStacks, edgeStack } = addResidencyStacks(app, config);
const eu = realmStacks.find((s) => s.realms[0] === 'EU')!;
const euTemplate = Template.fromStack(eu);
const edgeTemplate = Template.fromStack(edgeStack);

const writerName = directoryWriterName(config.stackPrefix);
const writerArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':lambda:us-east-1:', { Ref: 'AWS::AccountId' }, `:function:${writerName}`]] };
const secretArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':secretsmanager:us-east-1:', { Ref: 'AWS::AccountId' }, `:secret:${writerName}-key`]] };
const secretPattern = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':secretsmanager:us-east-1:', { Ref: 'AWS::AccountId' }, `:secret:${writerName}-key-??????`]] };
const edgeKeys = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:us-east-1:', { Ref: 'AWS::AccountId' }, ':key/*']] };
const policyOf = (template: Template, id: string) => template.toJSON().Resources[id].Properties.PolicyDocument.Statement;

describe('tenant directory wiring', () => {
  it("gives every realm stack a relay outside the VPC that may only read the directory key (via Secrets Manager in us-east-1) and invoke the edge's writer", () => {
    for (const stack of realmStacks) {
      const relay = stack.directoryRelay!;
      const fn = Template.fromStack(stack).toJSON().Resources[logicalIdOf(stack, relay.function.function)].Properties;
      expect(fn.VpcConfig).toBeUndefined();
      expect(fn.Environment.Variables).toEqual({ [ENV.directoryFunction]: writerArn, [ENV.directoryRealms]: JSON.stringify(stack.realms), [ENV.directoryKeySecretArn]: secretArn });
      expect(fn.Timeout).toBe(8);
      expect(policyOf(Template.fromStack(stack), logicalIdOf(stack, relay.function.dataPolicy!))).toEqual([
        { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: writerArn },
        { Action: 'secretsmanager:GetSecretValue', Effect: 'Allow', Resource: secretPattern },
        {
          Action: 'kms:Decrypt',
          Effect: 'Allow',
          Resource: edgeKeys,
          Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' }, StringLike: { 'kms:EncryptionContext:SecretARN': secretPattern } },
        },
      ]);
    }
  });

  it('lets the app function (in the VPC) invoke its relay, through a Lambda endpoint limited to this account', () => {
    const appFn = euTemplate.toJSON().Resources[logicalIdOf(eu, eu.secureApi.appFunction.function)].Properties;
    const relayId = logicalIdOf(eu, eu.directoryRelay!.function.function);
    expect(appFn.VpcConfig).toBeDefined();
    expect(appFn.Environment.Variables[ENV.directoryFunction]).toEqual({ Ref: relayId });
    expect(policyOf(euTemplate, logicalIdOf(eu, eu.secureApi.appFunction.dataPolicy!))).toContainEqual({
      Action: 'lambda:InvokeFunction',
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [relayId, 'Arn'] },
    });
    const endpoint = euTemplate.toJSON().Resources[logicalIdOf(eu, eu.network.lambdaEndpoint)].Properties;
    expect(endpoint.ServiceName).toEqual('com.amazonaws.eu-central-1.lambda');
    expect(endpoint.PrivateDnsEnabled).toBe(true);
    expect(endpoint.PolicyDocument.Statement).toEqual([
      expect.objectContaining({ Sid: 'OnlyThisAccount', Action: 'lambda:InvokeFunction', Condition: { StringEquals: { 'aws:PrincipalAccount': { Ref: 'AWS::AccountId' }, 'aws:ResourceAccount': { Ref: 'AWS::AccountId' } } } }),
    ]);
  });

  it('names the edge writer as the relays call it, and lets it use only the directory and its key', () => {
    const writer = edgeStack.directoryWriter.function;
    const fn = edgeTemplate.toJSON().Resources[logicalIdOf(edgeStack, writer.function)].Properties;
    expect(fn.FunctionName).toBe(writerName);
    // The secret the relays read by name, from their regions.
    expect(edgeTemplate.toJSON().Resources[logicalIdOf(edgeStack, edgeStack.directoryKeySecret)].Properties.Name).toBe(`${writerName}-key`);
    expect(fn.VpcConfig).toBeUndefined();
    const kvsArn = { 'Fn::GetAtt': [logicalIdOf(edgeStack, edgeStack.router.directory), 'Arn'] };
    const secret = { Ref: logicalIdOf(edgeStack, edgeStack.directoryKeySecret) };
    expect(fn.Environment.Variables).toEqual({
      [ENV.directoryKvsArn]: kvsArn,
      [ENV.directoryKeySecretArn]: secret,
      [ENV.directoryRealms]: JSON.stringify(config.realms.map((r) => r.name)),
    });
    // Each caller waits longer than what it calls: writer 6 s < relay 8 s < app 15 s < API Gateway's 29 s. The migration
    // function's 90 s is for its own 60 s continuations; a hook call the app waits on works its 5 s budget (and a commit
    // the writer's 6 s, a rollback a 10 s lease) and answers inside the app's 15 s.
    const timeout = (stack: Stack, f: AppFunction) => Template.fromStack(stack).toJSON().Resources[logicalIdOf(stack, f.function)].Properties.Timeout;
    const eu = realmStacks.find((s) => s.realms[0] === 'EU')!;
    expect([timeout(edgeStack, writer), timeout(eu, eu.directoryRelay!.function), timeout(eu, eu.migration!.function), timeout(eu, eu.secureApi.appFunction)]).toEqual([6, 8, 90, 15]);
    const statements = policyOf(edgeTemplate, logicalIdOf(edgeStack, writer.dataPolicy!));
    expect(statements).toEqual([
      {
        Action: [
          'cloudfront-keyvaluestore:DescribeKeyValueStore',
          'cloudfront-keyvaluestore:GetKey',
          'cloudfront-keyvaluestore:PutKey',
          'cloudfront-keyvaluestore:UpdateKeys',
        ],
        Effect: 'Allow',
        Resource: kvsArn,
      },
      { Action: 'secretsmanager:GetSecretValue', Effect: 'Allow', Resource: secret },
      {
        Action: 'kms:Decrypt',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [logicalIdOf(edgeStack, edgeStack.edgeKey.key), 'Arn'] },
        Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com', 'kms:EncryptionContext:SecretARN': [secret] } },
      },
    ]);
  });

  it('keeps the writer name within the 64 characters Lambda allows, for the longest stack prefix', () => {
    expect(directoryWriterName('A'.repeat(80)).length).toBeLessThanOrEqual(64);
  });
});
