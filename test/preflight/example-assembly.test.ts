import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { parseConfig } from '../../lib/config';
import { addResidencyStacks } from '../../lib/stacks/residency-app';
import { formatProblem, preflight, preflightCli } from '../../lib/preflight';
import { exampleConfigJson } from '../helpers/example-config';
import { NO_BUNDLING } from '../helpers/example-app';
import { FakeAccount, healthyAccount, installFakeAccount, short } from './fake-account';

type Template = { Resources: Record<string, { Type: string; Properties?: any }> };

const out = mkdtempSync(join(tmpdir(), 'preflight-example-'));
const regions: string[] = [];
const templates = new Map<string, { region: string; template: Template }>();
let restore: (() => void) | undefined;

// One in-process synth of the example app without packs, reserving concurrency (off by default) so the
// concurrency checks have something to count; preflight reads what it wrote.
beforeAll(() => {
  const app = new App({ outdir: out, context: NO_BUNDLING });
  const json = exampleConfigJson();
  json.functions = { reservedConcurrency: 20 };
  addResidencyStacks(app, parseConfig(json, 'example'));
  for (const s of app.synth().stacks) {
    templates.set(s.stackName, { region: s.environment.region, template: JSON.parse(readFileSync(s.templateFullPath, 'utf8')) });
    if (!regions.includes(s.environment.region)) regions.push(s.environment.region);
  }
});
afterEach(() => restore?.());
afterAll(() => rmSync(out, { recursive: true, force: true }));

async function run(fake: FakeAccount) {
  restore = installFakeAccount(fake);
  return preflight({ assembly: out });
}

const lines = (r: Awaited<ReturnType<typeof run>>) => r.problems.map(formatProblem);

/** The reserved concurrency the templates of `region` ask for. */
function reservedIn(region: string): number {
  return [...templates.values()]
    .filter((t) => t.region === region)
    .flatMap((t) => Object.values(t.template.Resources))
    .reduce((sum, r) => sum + (r.Type === 'AWS::Lambda::Function' ? (r.Properties?.ReservedConcurrentExecutions ?? 0) : 0), 0);
}

describe('preflight on the synthesized example app', () => {
  it('finds no problem in a healthy account, and the command says OK with exit code 0', async () => {
    const fake = healthyAccount(regions);
    const result = await run(fake);
    expect(lines(result)).toEqual([]);
    expect([...result.regions].sort()).toEqual([...regions].sort());
    expect([...result.stacks].sort()).toEqual([...templates.keys()].sort());
    const printed: string[] = [];
    const code = await preflightCli(['--assembly', out], { out: (l) => printed.push(l), err: (l) => printed.push(l) });
    expect({ code, printed }).toEqual({ code: 0, printed: [expect.stringMatching(new RegExp(`^preflight OK: ${templates.size} stacks in ${regions.length} regions .* of account 111122223333`))] });
  });

  it('names the region and the numbers when the concurrency limit is 10, and the command exits 1', async () => {
    const fake = healthyAccount(regions);
    fake.regions['us-east-1']!.concurrency = { limit: 10, unreserved: 10 };
    const needed = reservedIn('us-east-1') + 100;
    expect(needed).toBeGreaterThan(100); // the example reserves concurrency in us-east-1
    const result = await run(fake);
    expect(lines(result)).toEqual([
      expect.stringMatching(
        new RegExp(`^us-east-1 lambda-concurrency: found a concurrent executions limit of 10; expected at least ${needed} \\(${needed - 100} reserved by \\d+ functions of .*ResidencyDemo-Edge.* \\+ 100 unreserved\\) \\(request it: aws service-quotas request-service-quota-increase --service-code lambda --quota-code L-B99A9384 --desired-value ${needed} --region us-east-1\\)$`),
      ),
    ]);
    const printed: string[] = [];
    expect(await preflightCli(['--assembly', out], { out: (l) => printed.push(l), err: (l) => printed.push(l) })).toBe(1);
    expect(printed.at(-1)).toMatch(/^preflight: 1 problem for /);
  });

  it('says an increase is already pending instead of asking for another', async () => {
    const fake = healthyAccount(regions);
    fake.regions['eu-central-1']!.concurrency = { limit: 50, unreserved: 50 };
    fake.regions['eu-central-1']!.pendingConcurrency = 1000;
    expect(lines(await run(fake))).toEqual([expect.stringMatching(/^eu-central-1 lambda-concurrency: found a concurrent executions limit of 50; .*\(an increase to 1000 is already requested \(PENDING\); deploy when it is granted\)$/)]);
  });

  it('counts reservations other functions hold against the unreserved pool', async () => {
    const fake = healthyAccount(regions);
    fake.regions['us-east-2']!.concurrency = { limit: 1000, unreserved: 150 };
    const needed = reservedIn('us-east-2') + 100;
    expect(lines(await run(fake))).toEqual([expect.stringMatching(new RegExp(`^us-east-2 lambda-concurrency: found 150 unreserved concurrent executions of 1000 \\(other functions reserve 850\\); expected at least ${needed} unreserved`))]);
  });

  it('gives the bootstrap command for a region without the bootstrap stack, and asks to upgrade an old one', async () => {
    const fake = healthyAccount(regions);
    fake.regions['eu-central-1']!.bootstrap = {};
    fake.regions['ap-southeast-2']!.bootstrap = { '/cdk-bootstrap/hnb659fds/version': '5' };
    expect(lines(await run(fake))).toEqual([
      'ap-southeast-2 bootstrap: found bootstrap version 5 (/cdk-bootstrap/hnb659fds/version); expected version 6 or newer (run npx cdk bootstrap aws://111122223333/ap-southeast-2 to upgrade it)',
      'eu-central-1 bootstrap: found no CDK bootstrap stack (no SSM parameter /cdk-bootstrap/hnb659fds/version); expected bootstrap version 6 or newer (run npx cdk bootstrap aws://111122223333/eu-central-1)',
    ]);
  });

  it('finds a zone of the subnets where the Lambda endpoint service is not offered, mapping zone names to ids', async () => {
    const fake = healthyAccount(regions);
    const r = 'ap-southeast-2';
    // Fn::GetAZs gives a and b, which are az3 and az1 in this account; lambda is offered in az2 and az3 only.
    fake.regions[r]!.endpointZones = { lambda: [`${short(r)}-az2`, `${short(r)}-az3`] }; // the default pair is az1, az2
    expect(lines(await run(fake))).toEqual([
      `${r} endpoint-services: found com.amazonaws.${r}.lambda not offered in ${short(r)}-az1 (${r}b), the zone of subnet NetworkIsolatedSubnet1Subnet628117C0 of ResidencyDemo-AU; expected its subnets in zones the service offers: ${short(r)}-az2, ${short(r)}-az3 (pin the subnets to zone ids the service offers)`,
    ]);
  });

  it('refuses a private hosted zone', async () => {
    const fake = healthyAccount(regions);
    fake.hostedZones.Z0123456789EXAMPLE0AB!.private = true;
    expect(lines(await run(fake))).toEqual([expect.stringMatching(/^global hosted-zone: found hosted zone Z0123456789EXAMPLE0AB \(example\.com\) is private; expected a public zone/)]);
  });

  it('says which names fall outside a zone of another name', async () => {
    const fake = healthyAccount(regions, 'example.org');
    const result = lines(await run(fake));
    expect(result.length).toBeGreaterThan(0);
    expect(result.every((l) => / hosted-zone: found .*app\.example\.com \(ResidencyDemo-[A-Za-z]+\) outside zone Z0123456789EXAMPLE0AB \(example\.org\)/.test(l))).toBe(true);
  });

  it('finds a leftover tenant table of an earlier deployment, and accepts the same table inside its deployed stack', async () => {
    const fake = healthyAccount(regions);
    fake.regions['eu-central-1']!.tables = ['ResidencyDemo-EU-tenants'];
    expect(lines(await run(fake))).toEqual([
      'eu-central-1 fixed-names: found table ResidencyDemo-EU-tenants that is not part of any deployed stack ResidencyDemo-EU; expected no table of that name (a leftover of an earlier deployment; stateful resources are retained on stack delete) (delete it if its data is not needed, or bring it into the stack with npx cdk import ResidencyDemo-EU)',
    ]);
    restore!();
    const tableId = Object.entries(templates.get('ResidencyDemo-EU')!.template.Resources).find(([, r]) => r.Type === 'AWS::DynamoDB::Table')![0];
    fake.regions['eu-central-1']!.stacks = { 'ResidencyDemo-EU': { [tableId]: 'ResidencyDemo-EU-tenants' } };
    expect(lines(await run(fake))).toEqual([]);
  });

  it('resolves bucket names built from the account and region, and finds one held by another account', async () => {
    const fake = healthyAccount(regions);
    fake.regions['us-east-2']!.buckets = { 'residencydemo-us-data-111122223333-us-east-2': 'theirs' };
    expect(lines(await run(fake))).toEqual([expect.stringMatching(/^us-east-2 fixed-names: found bucket residencydemo-us-data-111122223333-us-east-2 owned by another account/)]);
  });

  it('finds the global host already an alias of another distribution', async () => {
    const fake = healthyAccount(regions);
    fake.distributions = [{ id: 'E2OLDDIST', aliases: ['app.example.com'] }];
    expect(lines(await run(fake))).toEqual([expect.stringMatching(/^global edge: found distribution E2OLDDIST \(e2olddist\.cloudfront\.net\) already holding alias app\.example\.com; expected app\.example\.com free for ResidencyDemo-Edge/)]);
  });

  it('reports a refused read as a problem naming the permission, and goes on with the other checks', async () => {
    const fake = healthyAccount(regions);
    fake.denied = ['ssm:GetParameter'];
    fake.regions['us-east-1']!.concurrency = { limit: 10, unreserved: 10 };
    const result = lines(await run(fake));
    expect(result.filter((l) => l.includes('bootstrap: found access denied to ssm:GetParameter; expected read access (allow ssm:GetParameter to the caller)'))).toHaveLength(regions.length);
    expect(result.filter((l) => l.startsWith('us-east-1 lambda-concurrency:'))).toHaveLength(1);
  });
});
