import { availabilityZoneIdPrefix } from '../../lib/config/availability-zones';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { CloudFrontClient, ListConflictingAliasesCommand, ListDistributionsCommand } from '@aws-sdk/client-cloudfront';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeAvailabilityZonesCommand, DescribeSubnetsCommand, DescribeVpcEndpointServicesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetAccountSettingsCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetHostedZoneCommand, ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { GetServiceQuotaCommand, ListRequestedServiceQuotaChangeHistoryByQuotaCommand, ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { Manifest } from 'aws-cdk-lib/cloud-assembly-schema';
import { mockClient } from 'aws-sdk-client-mock';

/** One region of a fake account. */
export interface FakeRegion {
  concurrency: { limit: number; unreserved: number };
  /** The bootstrap version by SSM parameter name; absent: not bootstrapped. */
  bootstrap: Record<string, string>;
  zones: Array<{ name: string; id: string; state?: string; optIn?: string; type?: string }>;
  /** Zone ids each endpoint service (by name suffix, `lambda`) is offered in; absent: every zone. */
  endpointZones?: Record<string, string[]>;
  tables?: string[];
  /** Buckets by name, with who holds them. */
  buckets?: Record<string, 'mine' | 'theirs'>;
  /** Deployed stacks: logical id -> physical id. */
  stacks?: Record<string, Record<string, string>>;
  pendingConcurrency?: number;
}

/** A fake AWS account that the SDK clients answer for, region by region. */
export interface FakeAccount {
  account: string;
  regions: Record<string, FakeRegion>;
  hostedZones: Record<string, { name: string; private?: boolean; caa?: Record<string, string[]> }>;
  distributions?: Array<{ id: string; aliases: string[] }>;
  /** IAM actions (`ssm:GetParameter`) the caller may not call. */
  denied?: string[];
}

const DEFAULT_PARAMETER = '/cdk-bootstrap/hnb659fds/version';

/** An account that can take the example app: every region of `regions` bootstrapped, 1000 concurrency, zone Z0123456789EXAMPLE0AB public. */
export function healthyAccount(regions: readonly string[], zoneName = 'example.com'): FakeAccount {
  return {
    account: '111122223333',
    regions: Object.fromEntries(
      regions.map((r) => [
        r,
        {
          concurrency: { limit: 1000, unreserved: 1000 },
          bootstrap: { [DEFAULT_PARAMETER]: '30' },
          // Names and ids in different orders, as AWS maps them per account.
          zones: [
            { name: `${r}a`, id: `${short(r)}-az3` },
            { name: `${r}b`, id: `${short(r)}-az1` },
            { name: `${r}c`, id: `${short(r)}-az2` },
          ],
        } satisfies FakeRegion,
      ]),
    ),
    hostedZones: { Z0123456789EXAMPLE0AB: { name: `${zoneName}.` } },
  };
}

export function short(region: string): string {
  return availabilityZoneIdPrefix(region)!;
}

const fail = (name: string, message = name, status?: number) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });

/** Makes every SDK client of preflight answer for `fake`; returns the function that restores them. */
export function installFakeAccount(fake: FakeAccount): () => void {
  const mocks: Array<{ restore(): void }> = [];
  const regionOf = async (getClient: () => { config: { region: unknown } }): Promise<FakeRegion & { name: string }> => {
    const name = await (getClient().config.region as () => Promise<string>)();
    const region = fake.regions[name];
    if (!region) throw fail('UnrecognizedClientException', `region ${name} is not in the fake account`);
    return { ...region, name };
  };
  const guard = (action: string) => {
    if (fake.denied?.includes(action)) throw fail('AccessDeniedException', `not authorized to perform: ${action}`, 400);
  };
  const mock = <T>(client: T) => {
    const m = mockClient(client as never);
    mocks.push(m);
    return m as unknown as { on(c: unknown): { callsFake(f: (input: any, getClient: any) => unknown): unknown } };
  };

  mock(STSClient).on(GetCallerIdentityCommand).callsFake(async () => ({ Account: fake.account, Arn: `arn:aws:iam::${fake.account}:user/deployer` }));
  mock(LambdaClient).on(GetAccountSettingsCommand).callsFake(async (_i, c) => {
    guard('lambda:GetAccountSettings');
    const r = await regionOf(c);
    return { AccountLimit: { ConcurrentExecutions: r.concurrency.limit, UnreservedConcurrentExecutions: r.concurrency.unreserved } };
  });
  const quotas = mock(ServiceQuotasClient);
  quotas.on(GetServiceQuotaCommand).callsFake(async (_i, c) => ({ Quota: { QuotaCode: 'L-B99A9384', Value: (await regionOf(c)).concurrency.limit, Adjustable: true } }));
  quotas.on(ListRequestedServiceQuotaChangeHistoryByQuotaCommand).callsFake(async (_i, c) => {
    const pending = (await regionOf(c)).pendingConcurrency;
    return { RequestedQuotas: pending ? [{ QuotaCode: 'L-B99A9384', DesiredValue: pending, Status: 'PENDING' }] : [] };
  });
  mock(SSMClient).on(GetParameterCommand).callsFake(async (input, c) => {
    guard('ssm:GetParameter');
    const value = (await regionOf(c)).bootstrap[input.Name];
    if (value === undefined) throw fail('ParameterNotFound');
    return { Parameter: { Name: input.Name, Value: value } };
  });
  const ec2 = mock(EC2Client);
  ec2.on(DescribeAvailabilityZonesCommand).callsFake(async (_i, c) => {
    guard('ec2:DescribeAvailabilityZones');
    const r = await regionOf(c);
    return { AvailabilityZones: r.zones.map((z) => ({ ZoneName: z.name, ZoneId: z.id, State: z.state ?? 'available', OptInStatus: z.optIn ?? 'opt-in-not-required', ZoneType: z.type ?? 'availability-zone', GroupName: r.name, RegionName: r.name })) };
  });
  ec2.on(DescribeSubnetsCommand).callsFake(async () => ({ Subnets: [] }));
  ec2.on(DescribeVpcEndpointServicesCommand).callsFake(async (input, c) => {
    const r = await regionOf(c);
    const name: string = input.ServiceNames[0];
    const suffix = name.replace(`com.amazonaws.${r.name}.`, '');
    if (!name.startsWith(`com.amazonaws.${r.name}.`)) throw fail('InvalidServiceName', `The Vpc Endpoint Service '${name}' does not exist`);
    const ids = r.endpointZones?.[suffix] ?? r.zones.map((z) => z.id);
    return { ServiceDetails: [{ ServiceName: name, AvailabilityZoneIds: ids, AvailabilityZones: r.zones.filter((z) => ids.includes(z.id)).map((z) => z.name) }] };
  });
  mock(CloudFormationClient).on(DescribeStackResourcesCommand).callsFake(async (input, c) => {
    const resources = (await regionOf(c)).stacks?.[input.StackName];
    if (!resources) throw fail('ValidationError', `Stack with id ${input.StackName} does not exist`);
    return { StackResources: Object.entries(resources).map(([LogicalResourceId, PhysicalResourceId]) => ({ LogicalResourceId, PhysicalResourceId })) };
  });
  mock(DynamoDBClient).on(DescribeTableCommand).callsFake(async (input, c) => {
    if (!(await regionOf(c)).tables?.includes(input.TableName)) throw fail('ResourceNotFoundException', 'Requested resource not found');
    return { Table: { TableName: input.TableName } };
  });
  mock(S3Client).on(HeadBucketCommand).callsFake(async (input) => {
    const holder = Object.values(fake.regions).find((r) => r.buckets?.[input.Bucket])?.buckets?.[input.Bucket];
    if (!holder) throw fail('NotFound', 'NotFound', 404);
    if (holder === 'theirs') throw fail('Forbidden', 'Forbidden', 403);
    return {};
  });
  const route53 = mock(Route53Client);
  route53.on(GetHostedZoneCommand).callsFake(async (input) => {
    const zone = fake.hostedZones[input.Id];
    if (!zone) throw fail('NoSuchHostedZone', `No hosted zone found with ID: ${input.Id}`);
    return { HostedZone: { Id: `/hostedzone/${input.Id}`, Name: zone.name, Config: { PrivateZone: zone.private ?? false } } };
  });
  route53.on(ListResourceRecordSetsCommand).callsFake(async (input) => {
    // Route 53 lists from the start name onwards; the test zones hold CAA sets only.
    const caa = fake.hostedZones[input.HostedZoneId]?.caa ?? {};
    const names = Object.keys(caa).sort();
    const next = names.find((n) => n >= `${input.StartRecordName}.`);
    return { ResourceRecordSets: next ? [{ Name: next, Type: 'CAA', TTL: 300, ResourceRecords: caa[next]!.map((Value) => ({ Value })) }] : [] };
  });
  const cloudFront = mock(CloudFrontClient);
  cloudFront.on(ListDistributionsCommand).callsFake(async () => ({
    DistributionList: { IsTruncated: false, Items: (fake.distributions ?? []).map((d) => ({ Id: d.id, DomainName: `${d.id.toLowerCase()}.cloudfront.net`, Aliases: { Quantity: d.aliases.length, Items: d.aliases } })) },
  }));
  cloudFront.on(ListConflictingAliasesCommand).callsFake(async () => ({ ConflictingAliasesList: { Items: [] } }));
  return () => mocks.forEach((m) => m.restore());
}

/** A handcrafted cloud assembly: stacks by name with their region and template. */
export function writeAssembly(stacks: Record<string, { region: string; template: object; manifest?: object }>): string {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-'));
  mkdirSync(dir, { recursive: true });
  const artifacts: Record<string, object> = {};
  for (const [name, s] of Object.entries(stacks)) {
    writeFileSync(join(dir, `${name}.template.json`), JSON.stringify(s.template));
    artifacts[name] = {
      type: 'aws:cloudformation:stack',
      environment: `aws://unknown-account/${s.region}`,
      properties: { templateFile: `${name}.template.json`, requiresBootstrapStackVersion: 6, bootstrapStackVersionSsmParameter: DEFAULT_PARAMETER, ...s.manifest },
    };
  }
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ version: Manifest.version(), artifacts }));
  return dir;
}
