import { Aws, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from '../acknowledge';
import { XRAY_WRITE_ACTIONS } from '../app-function/runtime';
import { RealmLogGroup } from '../realm-log-group';

/**
 * The interface endpoints a {@link PrivateNetwork} creates, by service (`com.amazonaws.<region>.<service>`):
 * the one list, also read by checks of the synthesized templates. DynamoDB is a gateway endpoint besides.
 */
export const INTERFACE_ENDPOINT_SERVICES = ['kms', 'secretsmanager', 'lambda', 'xray', 'sts'] as const;

/** A service of {@link INTERFACE_ENDPOINT_SERVICES}. */
export type InterfaceEndpointService = (typeof INTERFACE_ENDPOINT_SERVICES)[number];

// Construct id and endpoint policy of each interface endpoint (the ids keep the logical ids of existing endpoints).
const INTERFACE_ENDPOINTS: Record<InterfaceEndpointService, { readonly id: string; readonly policy: () => iam.PolicyStatement }> = {
  kms: { id: 'Kms', policy: () => onlyThisAccount('kms') },
  secretsmanager: { id: 'SecretsManager', policy: () => onlyThisAccount('secretsmanager') },
  // The functions in the VPC only ever invoke (the directory relay, the migration function, the Atlassian egress function).
  lambda: { id: 'Lambda', policy: () => onlyThisAccount('lambda', ['lambda:InvokeFunction']) },
  // Trace uploads only. They name no resource (Resource "*", written to the caller's own account), so only the caller's account is checked.
  xray: { id: 'XRay', policy: () => onlyThisAccount('xray', [...XRAY_WRITE_ACTIONS], false) },
  // Tenant sessions only (the app function assumes its tenant-access role with session tags).
  sts: { id: 'Sts', policy: () => onlyThisAccount('sts', ['sts:AssumeRole', 'sts:TagSession']) },
};

/** Props of {@link PrivateNetwork}. */
export interface PrivateNetworkProps {
  /** The realm key that encrypts the flow logs. */
  readonly encryptionKey: kms.IKey;
  /** How long flow log events are kept. */
  readonly logRetention: logs.RetentionDays;
  /**
   * The VPC's IPv4 range.
   * @default '10.0.0.0/16'
   */
  readonly cidr?: string;
  /**
   * The two Availability Zones of the subnets, by AZ id (`use1-az1`: the same zone in every account,
   * unlike AZ names), written to each subnet as `AvailabilityZoneId`, so nothing is looked up.
   * @default - the stack's first two Availability Zones (`Stack.availabilityZones`)
   */
  readonly availabilityZoneIds?: readonly string[];
}

/**
 * A VPC for the functions that hold tenant data, with no route to the internet: isolated
 * subnets only in two Availability Zones (no internet gateway, no NAT), DynamoDB and S3 gateway
 * endpoints and the interface endpoints of {@link INTERFACE_ENDPOINT_SERVICES} (KMS, Secrets Manager,
 * Lambda, X-Ray, STS), each endpoint policy limited to principals (and, where requests name one,
 * resources) of this account. Flow logs of all traffic go to a log group under the realm key;
 * the VPC's default security group is emptied.
 *
 * The subnets are pinned to `availabilityZoneIds` when given. Otherwise the VPC takes the
 * stack's first two Availability Zones: in a stack with a concrete account and region, CDK
 * looks them up unless the stack overrides `availabilityZones` (as `RealmStack` does, with
 * `Fn::GetAZs`), so synthesis stays offline.
 */
export class PrivateNetwork extends Construct {
  /** The VPC. */
  public readonly vpc: ec2.Vpc;
  /** Where functions go: the isolated subnets. */
  public readonly subnets: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
  /** The security group for functions in the VPC: HTTPS out, nothing in. */
  public readonly functionSecurityGroup: ec2.SecurityGroup;
  /** The security group of the interface endpoints: HTTPS in from the VPC's range only. */
  public readonly endpointSecurityGroup: ec2.SecurityGroup;
  /** The DynamoDB gateway endpoint. */
  public readonly dynamoDbEndpoint: ec2.GatewayVpcEndpoint;
  /** The S3 gateway endpoint (the realm's data bucket). */
  public readonly s3Endpoint: ec2.GatewayVpcEndpoint;
  /** The KMS interface endpoint. */
  public readonly kmsEndpoint: ec2.InterfaceVpcEndpoint;
  /** The Secrets Manager interface endpoint. */
  public readonly secretsManagerEndpoint: ec2.InterfaceVpcEndpoint;
  /** The Lambda interface endpoint (the app invokes the realm's directory relay through it). */
  public readonly lambdaEndpoint: ec2.InterfaceVpcEndpoint;
  /** The X-Ray interface endpoint (the functions' traces leave through it). */
  public readonly xrayEndpoint: ec2.InterfaceVpcEndpoint;
  /** The STS interface endpoint (the app function starts its tenant sessions through it). */
  public readonly stsEndpoint: ec2.InterfaceVpcEndpoint;
  /** Every interface endpoint, by service. */
  public readonly interfaceEndpoints: Readonly<Record<InterfaceEndpointService, ec2.InterfaceVpcEndpoint>>;
  /** The log group receiving the VPC flow logs. */
  public readonly flowLogGroup: RealmLogGroup;
  /** The role VPC Flow Logs assumes to write to {@link flowLogGroup}. */
  public readonly flowLogRole: iam.Role;

  constructor(scope: Construct, id: string, props: PrivateNetworkProps) {
    super(scope, id);
    const azIds = props.availabilityZoneIds;
    if (azIds !== undefined && (azIds.length !== 2 || azIds[0] === azIds[1])) {
      throw new Error(`PrivateNetwork ${this.node.path}: found availabilityZoneIds ${JSON.stringify(azIds)}; expected two distinct AZ ids such as ["use1-az1", "use1-az2"]`);
    }
    this.flowLogGroup = new RealmLogGroup(this, 'FlowLogs', { encryptionKey: props.encryptionKey, retention: props.logRetention });
    this.flowLogRole = this.flowLogDeliveryRole(this.flowLogGroup);
    const cidr = props.cidr ?? '10.0.0.0/16';
    this.vpc = new ec2.Vpc(this, 'Resource', {
      ipAddresses: ec2.IpAddresses.cidr(cidr),
      maxAzs: 2,
      natGateways: 0,
      createInternetGateway: false,
      subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
      restrictDefaultSecurityGroup: true,
      flowLogs: {
        All: {
          trafficType: ec2.FlowLogTrafficType.ALL,
          // Immutable: the destination would add its statement as an inline policy; the role's managed policy holds it.
          destination: ec2.FlowLogDestination.toCloudWatchLogs(this.flowLogGroup.logGroup, this.flowLogRole.withoutPolicyUpdates()),
        },
      },
    });

    if (azIds !== undefined) this.pinSubnets(azIds);

    this.endpointSecurityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: this.vpc,
      description: 'AWS service endpoints: HTTPS from inside the VPC only',
      allowAllOutbound: false,
    });
    // The range as written, not the VPC's CidrBlock attribute, so rule checkers can read it.
    this.endpointSecurityGroup.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(443), 'HTTPS from the VPC range');
    this.functionSecurityGroup = new ec2.SecurityGroup(this, 'FunctionSecurityGroup', {
      vpc: this.vpc,
      description: 'Functions in the private network: HTTPS out, nothing in',
      allowAllOutbound: false,
    });
    // Any destination on 443: the subnets' routes reach only the VPC range and the DynamoDB
    // gateway's prefix list, whose id cannot be known offline (it differs per region).
    this.functionSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to the VPC endpoints, the only routes out');

    this.dynamoDbEndpoint = this.vpc.addGatewayEndpoint('DynamoDb', {
      service: ec2.GatewayVpcEndpointAwsService.DYNAMODB,
      subnets: [this.subnets],
    });
    this.dynamoDbEndpoint.addToPolicy(onlyThisAccount('dynamodb'));
    // tenant.objects and the sweep's purge reach the realm's data bucket through S3's gateway, this account's buckets only.
    this.s3Endpoint = this.vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [this.subnets] });
    this.s3Endpoint.addToPolicy(onlyThisAccount('s3'));
    // CDK writes the gateway's service name with the AWS::Region parameter; the region as written lets template checks read it.
    const region = Stack.of(this).region;
    if (!Token.isUnresolved(region)) {
      (this.dynamoDbEndpoint.node.defaultChild as ec2.CfnVPCEndpoint).serviceName = `com.amazonaws.${region}.dynamodb`;
      (this.s3Endpoint.node.defaultChild as ec2.CfnVPCEndpoint).serviceName = `com.amazonaws.${region}.s3`;
    }
    this.interfaceEndpoints = Object.fromEntries(
      INTERFACE_ENDPOINT_SERVICES.map((service) => {
        const endpoint = this.interfaceEndpoint(INTERFACE_ENDPOINTS[service].id, new ec2.InterfaceVpcEndpointAwsService(service));
        endpoint.addToPolicy(INTERFACE_ENDPOINTS[service].policy());
        return [service, endpoint];
      }),
    ) as Record<InterfaceEndpointService, ec2.InterfaceVpcEndpoint>;
    this.kmsEndpoint = this.interfaceEndpoints.kms;
    this.secretsManagerEndpoint = this.interfaceEndpoints.secretsmanager;
    this.lambdaEndpoint = this.interfaceEndpoints.lambda;
    this.xrayEndpoint = this.interfaceEndpoints.xray;
    this.stsEndpoint = this.interfaceEndpoints.sts;
    this.acknowledgeRestrictDefaultSecurityGroupProvider();
  }

  // CDK empties the default security group with a deploy-time custom resource: one provider
  // function per stack, outside any VPC. Its findings are acknowledged on that function only.
  private acknowledgeRestrictDefaultSecurityGroupProvider(): void {
    const provider = Stack.of(this).node.tryFindChild('Custom::VpcRestrictDefaultSGCustomResourceProvider');
    const handler = provider?.node.tryFindChild('Handler');
    if (!handler) return;
    acknowledge(
      handler,
      'CDK\'s deploy-time handler that revokes the default security group\'s rules through the EC2 API; it runs only ' +
        'during CloudFormation deployments, reads no tenant data, and could not reach the EC2 API from the isolated VPC it configures.',
      'cdk-validator-cfnguard::lambda_inside_vpc_check',
    );
  }

  // AWS::EC2::Subnet takes a zone by id; CDK's Vpc knows only names, so each subnet's name is replaced by the id.
  private pinSubnets(azIds: readonly string[]): void {
    this.vpc.isolatedSubnets.forEach((subnet, i) => {
      const cfn = subnet.node.defaultChild as ec2.CfnSubnet;
      cfn.availabilityZoneId = azIds[i];
      cfn.availabilityZone = undefined;
    });
  }

  private interfaceEndpoint(id: string, service: ec2.InterfaceVpcEndpointAwsService): ec2.InterfaceVpcEndpoint {
    return this.vpc.addInterfaceEndpoint(id, {
      service,
      privateDnsEnabled: true,
      subnets: this.subnets,
      securityGroups: [this.endpointSecurityGroup],
      open: false,
    });
  }

  private flowLogDeliveryRole(group: RealmLogGroup): iam.Role {
    const policy = new iam.ManagedPolicy(this, 'FlowLogPolicy', {
      description: 'cdk-residency: VPC Flow Logs may write to the flow log group',
      statements: [
        new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          resources: [group.logGroup.logGroupArn],
        }),
      ],
    });
    return new iam.Role(this, 'FlowLogRole', {
      assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      description: 'cdk-residency: delivers the VPC flow logs to their log group',
      managedPolicies: [policy],
    });
  }
}

// Requests through an endpoint must come from (and, where they name a resource, go to) this account.
function onlyThisAccount(service: string, actions = [`${service}:*`], namesResources = true): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'OnlyThisAccount',
    principals: [new iam.AnyPrincipal()],
    actions,
    resources: ['*'],
    conditions: {
      StringEquals: { 'aws:PrincipalAccount': Aws.ACCOUNT_ID, ...(namesResources ? { 'aws:ResourceAccount': Aws.ACCOUNT_ID } : {}) },
    },
  });
}
