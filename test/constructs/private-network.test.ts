import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { XRAY_WRITE_ACTIONS } from '../../constructs/app-function';
import { INTERFACE_ENDPOINT_SERVICES, PrivateNetwork } from '../../constructs/private-network';

const app = new App();
// Account-agnostic: CDK's own Fn::GetAZs fallback, so no lookup here either.
const stack = new Stack(app, 'Net', { env: { region: 'eu-central-1' } });
const key = new kms.Key(stack, 'Key');
const network = new PrivateNetwork(stack, 'Network', { encryptionKey: key, logRetention: logs.RetentionDays.ONE_YEAR });
const t = Template.fromStack(stack);
const logicalId = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as CfnElement);
const thisAccountOnly = {
  StringEquals: { 'aws:PrincipalAccount': { Ref: 'AWS::AccountId' }, 'aws:ResourceAccount': { Ref: 'AWS::AccountId' } },
};

describe('PrivateNetwork', () => {
  it('has isolated subnets only, in two Availability Zones, and no internet gateway or NAT', () => {
    const subnets = Object.values(t.findResources('AWS::EC2::Subnet'));
    expect(subnets).toHaveLength(2);
    for (const s of subnets) expect(s.Properties.MapPublicIpOnLaunch).toBe(false);
    for (const type of ['AWS::EC2::InternetGateway', 'AWS::EC2::NatGateway', 'AWS::EC2::EIP', 'AWS::EC2::VPCGatewayAttachment']) t.resourceCountIs(type, 0);
    const routes = Object.values(t.findResources('AWS::EC2::Route'));
    expect(routes).toEqual([]);
  });

  it('reaches DynamoDB through a gateway endpoint and KMS, Secrets Manager, Lambda, X-Ray and STS through interface endpoints with private DNS', () => {
    t.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway', ServiceName: 'com.amazonaws.eu-central-1.dynamodb' });
    expect([...INTERFACE_ENDPOINT_SERVICES].sort()).toEqual(['kms', 'lambda', 'secretsmanager', 'sts', 'xray']);
    const interfaces = Object.values(t.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Interface' } }));
    expect(interfaces.map((e) => e.Properties.ServiceName).sort()).toEqual(INTERFACE_ENDPOINT_SERVICES.map((s) => `com.amazonaws.eu-central-1.${s}`).sort());
    for (const service of INTERFACE_ENDPOINT_SERVICES) {
      t.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Interface',
        ServiceName: `com.amazonaws.eu-central-1.${service}`,
        PrivateDnsEnabled: true,
        SecurityGroupIds: [{ 'Fn::GetAtt': [logicalId(network.endpointSecurityGroup), 'GroupId'] }],
      });
    }
  });

  it('limits every endpoint policy to principals and resources of this account', () => {
    const endpoints = Object.values(t.findResources('AWS::EC2::VPCEndpoint')).filter((e) => !String(e.Properties.ServiceName).endsWith('.xray'));
    // The DynamoDB and S3 gateways, and the interface endpoints but X-Ray's.
    expect(endpoints).toHaveLength(6);
    expect(endpoints.map((e) => e.Properties.ServiceName)).toContain('com.amazonaws.eu-central-1.s3');
    for (const e of endpoints) {
      for (const s of e.Properties.PolicyDocument.Statement) expect(s).toMatchObject({ Effect: 'Allow', Condition: thisAccountOnly });
    }
  });

  it('lets only AssumeRole and TagSession of this account through the STS endpoint (tenant sessions)', () => {
    const [sts] = Object.values(t.findResources('AWS::EC2::VPCEndpoint', { Properties: { ServiceName: 'com.amazonaws.eu-central-1.sts' } }));
    expect(sts!.Properties.PolicyDocument.Statement).toEqual([expect.objectContaining({ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Condition: thisAccountOnly })]);
  });

  it('lets only trace uploads of this account through the X-Ray endpoint (they name no resource account)', () => {
    const [xray] = Object.values(t.findResources('AWS::EC2::VPCEndpoint', { Properties: { ServiceName: 'com.amazonaws.eu-central-1.xray' } }));
    expect(xray!.Properties.PolicyDocument.Statement).toEqual([
      {
        Sid: 'OnlyThisAccount',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: [...XRAY_WRITE_ACTIONS],
        Resource: '*',
        Condition: { StringEquals: { 'aws:PrincipalAccount': { Ref: 'AWS::AccountId' } } },
      },
    ]);
  });

  it('lets only HTTPS from the VPC range into the endpoints, and only HTTPS out of the functions', () => {
    const endpointSg = t.toJSON().Resources[logicalId(network.endpointSecurityGroup)].Properties;
    expect(endpointSg.SecurityGroupIngress).toEqual([expect.objectContaining({ CidrIp: '10.0.0.0/16', FromPort: 443, ToPort: 443, IpProtocol: 'tcp' })]);
    const functionSg = t.toJSON().Resources[logicalId(network.functionSecurityGroup)].Properties;
    expect(functionSg.SecurityGroupIngress).toBeUndefined();
    expect(functionSg.SecurityGroupEgress).toEqual([expect.objectContaining({ FromPort: 443, ToPort: 443, IpProtocol: 'tcp' })]);
  });

  it('logs all traffic to a log group under the realm key, through a role without inline policies', () => {
    t.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceType: 'VPC',
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
      LogGroupName: { Ref: logicalId(network.flowLogGroup.logGroup) },
      DeliverLogsPermissionArn: { 'Fn::GetAtt': [logicalId(network.flowLogRole), 'Arn'] },
    });
    t.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [logicalId(key), 'Arn'] }, RetentionInDays: 365 });
    t.resourceCountIs('AWS::IAM::Policy', 0);
    expect(t.toJSON().Resources[logicalId(network.flowLogRole)].Properties.ManagedPolicyArns).toHaveLength(1);
  });

  it('empties the default security group', () => {
    t.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
  });

  it('takes the first two zones of the region when no AZ ids are given', () => {
    for (const s of Object.values(t.findResources('AWS::EC2::Subnet'))) {
      expect(s.Properties.AvailabilityZoneId).toBeUndefined();
      expect(JSON.stringify(s.Properties.AvailabilityZone)).toContain('Fn::GetAZs');
    }
  });
});

describe('PrivateNetwork with AZ ids', () => {
  const pinned = (ids: string[]) => {
    const s = new Stack(new App(), 'Pinned', { env: { region: 'us-east-1' } });
    new PrivateNetwork(s, 'Network', { encryptionKey: new kms.Key(s, 'Key'), logRetention: logs.RetentionDays.ONE_YEAR, availabilityZoneIds: ids });
    return s;
  };

  it('pins each subnet by AvailabilityZoneId, with no AvailabilityZone name or lookup', () => {
    const template = Template.fromStack(pinned(['use1-az4', 'use1-az6']));
    const subnets = Object.values(template.findResources('AWS::EC2::Subnet')).map((s) => s.Properties);
    expect(subnets.map((p) => [p.AvailabilityZoneId, p.AvailabilityZone])).toEqual([['use1-az4', undefined], ['use1-az6', undefined]]);
    expect(JSON.stringify(template.toJSON())).not.toContain('Fn::GetAZs');
  });

  it('refuses anything but two distinct AZ ids', () => {
    expect(() => pinned(['use1-az1'])).toThrow(/found availabilityZoneIds \["use1-az1"\]; expected two distinct AZ ids/);
    expect(() => pinned(['use1-az1', 'use1-az1'])).toThrow(/expected two distinct AZ ids/);
  });
});
