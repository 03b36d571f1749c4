import { rmSync } from 'node:fs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { caaAllowsAmazon, formatProblem, preflight, preflightCli } from '../../lib/preflight';
import { healthyAccount, installFakeAccount, writeAssembly } from './fake-account';

const dirs: string[] = [];
let restore: (() => void) | undefined;
afterEach(() => restore?.());
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function assembly(...args: Parameters<typeof writeAssembly>): string {
  const dir = writeAssembly(...args);
  dirs.push(dir);
  return dir;
}

const fn = (reserved?: number) => ({ Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs24.x', ...(reserved === undefined ? {} : { ReservedConcurrentExecutions: reserved }) } });

async function problems(dir: string, fake = healthyAccount(['eu-west-1'])): Promise<string[]> {
  restore = installFakeAccount(fake);
  return (await preflight({ assembly: dir })).problems.map(formatProblem);
}

describe('preflight on handcrafted templates', () => {
  it('needs only the 100 unreserved when no function reserves concurrency', async () => {
    const dir = assembly({ App: { region: 'eu-west-1', template: { Resources: { A: fn(), B: fn() } } } });
    const fake = healthyAccount(['eu-west-1']);
    fake.regions['eu-west-1']!.concurrency = { limit: 100, unreserved: 100 };
    expect(await problems(dir, fake)).toEqual([]);
    fake.regions['eu-west-1']!.concurrency = { limit: 99, unreserved: 99 };
    expect(await problems(dir, fake)).toEqual([expect.stringMatching(/^eu-west-1 lambda-concurrency: found a concurrent executions limit of 99; expected at least 100 \(0 reserved by 0 functions of App \+ 100 unreserved\)/)]);
  });

  it('reads the required bootstrap version from the template rule and a custom qualifier from the manifest', async () => {
    const parameter = '/cdk-bootstrap/custom1/version';
    const rules = { CheckBootstrapVersion: { Assertions: [{ Assert: { 'Fn::Not': [{ 'Fn::Contains': [['1', '2', '3', '4', '5', '6', '7'], { Ref: 'BootstrapVersion' }] }] } }] } };
    const dir = assembly({ App: { region: 'eu-west-1', template: { Rules: rules, Resources: { A: fn() } }, manifest: { bootstrapStackVersionSsmParameter: parameter } } });
    const fake = healthyAccount(['eu-west-1']);
    fake.regions['eu-west-1']!.bootstrap = { [parameter]: '7' };
    expect(await problems(dir, fake)).toEqual([
      'eu-west-1 bootstrap: found bootstrap version 7 (/cdk-bootstrap/custom1/version); expected version 8 or newer (run npx cdk bootstrap aws://111122223333/eu-west-1 --qualifier custom1 to upgrade it)',
    ]);
  });

  it('checks subnets pinned by zone id: unknown ids and zones not opted in', async () => {
    const subnet = (props: object) => ({ Type: 'AWS::EC2::Subnet', Properties: { CidrBlock: '10.0.0.0/24', ...props } });
    const dir = assembly({
      App: { region: 'eu-west-1', template: { Resources: { Good: subnet({ AvailabilityZoneId: 'euw1-az1' }), Gone: subnet({ AvailabilityZoneId: 'euw1-az9' }), Local: subnet({ AvailabilityZoneId: 'euw1-lz1' }), Third: subnet({ AvailabilityZone: { 'Fn::Select': [3, { 'Fn::GetAZs': '' }] } }) } } },
    });
    const fake = healthyAccount(['eu-west-1']);
    fake.regions['eu-west-1']!.zones.push({ name: 'eu-west-1-lz-1a', id: 'euw1-lz1', optIn: 'not-opted-in', type: 'local-zone' });
    expect(await problems(dir, fake)).toEqual([
      'eu-west-1 availability-zones: found subnet Gone of App in zone id euw1-az9, which the region does not have; expected a zone of the region that is available to the account (pin the subnets to zones that DescribeAvailabilityZones lists in the region)',
      'eu-west-1 availability-zones: found subnet Local of App in euw1-lz1 (eu-west-1-lz-1a), not opted in; expected an available zone (opt in to eu-west-1 or pin another zone)',
      'eu-west-1 availability-zones: found subnet Third of App in zone #4 of Fn::GetAZs, but the region gives the account 3; expected a zone of the region that is available to the account (pin the subnets to zones that DescribeAvailabilityZones lists in the region)',
    ]);
  });

  it('finds CAA records that keep ACM from issuing, at the closest name up to the apex', async () => {
    const certificate = { Type: 'AWS::CertificateManager::Certificate', Properties: { DomainName: 'api.app.example.com', DomainValidationOptions: [{ DomainName: 'api.app.example.com', HostedZoneId: 'Z0123456789EXAMPLE0AB' }] } };
    const dir = assembly({ Edge: { region: 'us-east-1', template: { Resources: { Cert: certificate } } } });
    const fake = healthyAccount(['us-east-1']);
    fake.hostedZones.Z0123456789EXAMPLE0AB!.caa = { 'example.com.': ['0 issue "letsencrypt.org"'] };
    expect(await problems(dir, fake)).toEqual([
      'us-east-1 hosted-zone: found CAA records at example.com (0 issue "letsencrypt.org") that do not allow Amazon to issue for api.app.example.com; expected an issue record for amazon.com (or amazontrust.com, awstrust.com, amazonaws.com) (add the CAA record 0 issue "amazon.com" at example.com in zone Z0123456789EXAMPLE0AB)',
    ]);
    restore!();
    // A closer CAA set that allows Amazon governs the name, whatever the apex says.
    fake.hostedZones.Z0123456789EXAMPLE0AB!.caa = { 'app.example.com.': ['0 issue "amazontrust.com"'], 'example.com.': ['0 issue "letsencrypt.org"'] };
    expect(await problems(dir, fake)).toEqual([]);
  });

  it('reads CAA values as RFC 8659 says', () => {
    expect(caaAllowsAmazon([])).toBe(true);
    expect(caaAllowsAmazon(['0 iodef "mailto:x@example.com"'])).toBe(true);
    expect(caaAllowsAmazon(['0 issue "amazon.com; cansignhttpexchanges=yes"'])).toBe(true);
    expect(caaAllowsAmazon(['0 issue ";"'])).toBe(false);
    expect(caaAllowsAmazon(['0 issuewild "letsencrypt.org"', '0 issue "amazon.com"'], true)).toBe(false);
    expect(caaAllowsAmazon(['0 issuewild "letsencrypt.org"', '0 issue "amazon.com"'])).toBe(true);
  });

  it('refuses a CloudFront certificate outside us-east-1 and a hosted zone that does not exist', async () => {
    const dir = assembly({
      Edge: {
        region: 'eu-west-1',
        template: {
          Resources: {
            Cert: { Type: 'AWS::CertificateManager::Certificate', Properties: { DomainName: 'app.example.com', DomainValidationOptions: [{ DomainName: 'app.example.com', HostedZoneId: 'ZNOSUCHZONE' }] } },
            Dist: { Type: 'AWS::CloudFront::Distribution', Properties: { DistributionConfig: { ViewerCertificate: { AcmCertificateArn: { Ref: 'Cert' } } } } },
          },
        },
      },
    });
    expect(await problems(dir)).toEqual([
      'eu-west-1 edge: found distribution Dist of Edge with its certificate in eu-west-1; expected the stack in us-east-1, where CloudFront reads ACM certificates (deploy Edge to us-east-1)',
      'global hosted-zone: found no hosted zone ZNOSUCHZONE; expected the public zone Edge use (create it, or set domain.hostedZone.id to the zone that serves the domain, and synthesize again)',
    ]);
  });

  it('exits 2 with one line when the assembly is missing or there are no credentials', async () => {
    const printed: string[] = [];
    const io = { out: (l: string) => printed.push(`out ${l}`), err: (l: string) => printed.push(`err ${l}`) };
    expect(await preflightCli(['--assembly', '/nonexistent/cdk.out'], io)).toBe(2);
    expect(printed).toEqual(['err preflight: /nonexistent/cdk.out: no such directory; expected a cloud assembly (run `npx cdk synth` first, or pass --assembly <dir>)']);
    printed.length = 0;
    const sts = mockClient(STSClient);
    restore = () => sts.restore();
    sts.on(GetCallerIdentityCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    expect(await preflightCli(['--assembly', assembly({ App: { region: 'eu-west-1', template: { Resources: { A: fn() } } } })], io)).toBe(2);
    expect(printed).toEqual(['err preflight: no usable AWS credentials (CredentialsProviderError: Could not load credentials from any providers); expected credentials of the account to deploy to (AWS_PROFILE, or aws sso login)']);
  });
});
