import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Manifest } from 'aws-cdk-lib/cloud-assembly-schema';
import { ReportError, TrustReport, buildTrustReport, escapeHtml, readAssembly, renderHtml, renderMarkdown, residencyMap, scrubPaths } from '../../lib/report';

const KEY = { 'Fn::GetAtt': ['Key', 'Arn'] };
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';

interface StackSpec {
  region: string;
  tags?: Record<string, string>;
  description?: string;
  resources: Record<string, { Type: string; Properties?: object; DeletionPolicy?: string }>;
}

/** Writes a hand-made cloud assembly: a manifest, one template per stack, and a validation report. */
function writeAssembly(stacks: Record<string, StackSpec>, validation: object | undefined): string {
  const dir = mkdtempSync(join(tmpdir(), 'minimal-assembly-'));
  const artifacts: Record<string, object> = {};
  for (const [id, s] of Object.entries(stacks)) {
    writeFileSync(join(dir, `${id}.template.json`), JSON.stringify({ ...(s.description ? { Description: s.description } : {}), Resources: s.resources }));
    artifacts[id] = {
      type: 'aws:cloudformation:stack',
      environment: `aws://unknown-account/${s.region}`,
      properties: { templateFile: `${id}.template.json`, ...(s.tags ? { tags: s.tags } : {}) },
    };
  }
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ version: Manifest.version(), artifacts }));
  if (validation) writeFileSync(join(dir, 'validation-report.json'), JSON.stringify(validation));
  return dir;
}

const VALIDATION = {
  version: Manifest.version(),
  title: 'Validation Report',
  pluginReports: [
    {
      pluginName: 'AwsSolutions',
      conclusion: 'success',
      violations: [
        { ruleName: 'AwsSolutions-X1', description: 'Something to look at.', severity: 'warning', violatingConstructs: [{ constructPath: 'Lone-EU/Table/Resource' }] },
      ],
      suppressedViolations: [
        {
          ruleName: 'AwsSolutions-SMG4',
          description: 'The secret does not have automatic rotation scheduled.',
          severity: 'error',
          violatingConstructs: [{ constructPath: 'Lone-EU/Secret/Resource', stackTraces: ['new Secret (/home/builder/app/constructs/secret.ts:12:3)'] }],
          acknowledgedId: 'AwsSolutions::AwsSolutions-SMG4',
          reason: 'Issued by a third party and rotated at its issuer, see /home/builder/app/constructs/secret.ts:40:1 for the reader.\n    at acknowledge (/home/builder/app/constructs/acknowledge.ts:19:27)',
          acknowledgedAt: 'Lone-EU/Secret/Resource',
          acknowledgedStackTrace: '    at acknowledge (/home/builder/app/constructs/acknowledge.ts:19:27)',
        },
      ],
    },
  ],
};

const STACKS: Record<string, StackSpec> = {
  // No realm tag: the realm comes from the description RealmStack writes.
  'Lone-EU': {
    region: 'eu-central-1',
    description: 'cdk-residency: Demo, data of realm EU in eu-central-1',
    resources: {
      Key: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } },
      Alias: { Type: 'AWS::KMS::Alias', Properties: { AliasName: 'alias/demo/eu', TargetKeyId: KEY } },
      Table: { Type: 'AWS::DynamoDB::Table', Properties: { BillingMode: 'PAY_PER_REQUEST' } },
      PlainBucket: { Type: 'AWS::S3::Bucket', Properties: { BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } } },
      Logs: { Type: 'AWS::Logs::LogGroup', Properties: { KmsKeyId: KEY, RetentionInDays: 30 } },
      Secret: { Type: 'AWS::SecretsManager::Secret', Properties: { Name: 'demo/eu/token', ReplicaRegions: [{ Region: 'us-east-1' }] } },
      Replicated: {
        Type: 'AWS::S3::Bucket',
        Properties: {
          BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { Ref: 'Alias' } } }] },
          ReplicationConfiguration: { Role: 'arn:aws:iam::1:role/r', Rules: [{ Status: 'Enabled', Destination: { Bucket: 'arn:aws:s3:::elsewhere' } }] },
        },
      },
      Global: {
        Type: 'AWS::DynamoDB::GlobalTable',
        Properties: {
          SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
          Replicas: [
            { Region: 'eu-central-1', SSESpecification: { KMSMasterKeyId: KEY } },
            { Region: 'eu-west-1', SSESpecification: { KMSMasterKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/abc' } },
          ],
        },
      },
      Vault: { Type: 'AWS::Backup::BackupVault', Properties: { BackupVaultName: 'v', EncryptionKeyArn: 'arn:aws:kms:us-west-2:111122223333:key/def' } },
    },
  },
  Edge: {
    region: 'us-east-1',
    resources: {
      Distribution: {
        Type: 'AWS::CloudFront::Distribution',
        Properties: { DistributionConfig: { DefaultCacheBehavior: { CachePolicyId: CACHING_DISABLED }, ViewerCertificate: { MinimumProtocolVersion: 'TLSv1.2_2021' } } },
      },
      Directory: { Type: 'AWS::CloudFront::KeyValueStore', Properties: { Name: 'tenant-directory' } },
      EdgeKey: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } },
      DirectoryKey: { Type: 'AWS::SecretsManager::Secret', Properties: { KmsKeyId: { Ref: 'EdgeKey' } } },
      Record: { Type: 'AWS::Route53::RecordSet', Properties: { Name: 'app.example.com.', Type: 'A' } },
    },
  },
  // Tagged by tagRealm for two realms; EU is then claimed twice in this assembly.
  Shared: {
    region: 'eu-central-1',
    tags: { 'cdk-residency:realm': 'EU+DE' },
    resources: {},
  },
  // Declared metadata-only (tagMetadataOnly), no CloudFront in it.
  Meta: {
    region: 'us-east-1',
    tags: { 'cdk-residency:metadata-only': 'true' },
    resources: { Logs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 7 } } },
  },
  Orphan: {
    region: 'us-west-2',
    tags: { owner: 'someone' },
    resources: { Table: { Type: 'AWS::DynamoDB::Table', Properties: { SSESpecification: { SSEEnabled: true } } } },
  },
};

describe('a hand-written assembly with edge cases', () => {
  let dir: string;
  let report: TrustReport;
  beforeAll(() => {
    dir = writeAssembly(STACKS, VALIDATION);
    report = buildTrustReport(readAssembly(dir), { now: new Date('2026-01-02T03:04:05Z') });
  });
  const stack = (name: string) => report.stacks.find((s) => s.stack === name)!;
  const store = (name: string, id: string) => stack(name).stores.find((s) => s.logicalId === id)!;

  it('reads the realm from the description when the stack has no realm tag, and says so', () => {
    expect(report.realms.filter((r) => r.stack === 'Lone-EU')).toEqual([
      { realm: 'EU', atlassianLocation: 'Frankfurt and Dublin', stack: 'Lone-EU', region: 'eu-central-1', realmSource: 'description', inJurisdiction: true, sharesStackWith: [] },
    ]);
    expect(renderMarkdown(report)).toContain('its realm was read from the description');
  });

  it('reports a store with no key as under an AWS owned key, and flags it', () => {
    expect(store('Lone-EU', 'Table').key).toEqual({ kind: 'aws-owned', label: 'AWS owned key (DynamoDB default encryption)' });
    expect(store('Lone-EU', 'Table').flag).toMatch(/not under a customer managed key: AWS owned key/);
    expect(store('Lone-EU', 'PlainBucket').key.label).toBe('AWS owned key (S3 managed keys, SSE-S3)');
    expect(store('Lone-EU', 'Secret').key).toMatchObject({ kind: 'aws-managed', label: 'AWS managed key (aws/secretsmanager)' });
    expect(store('Lone-EU', 'Secret').flag).toBeDefined();
    expect(renderMarkdown(report)).toContain('| DynamoDB table | Table | AWS owned key (DynamoDB default encryption) | **not under a customer managed key');
  });

  it('resolves GetAtt, Ref to an alias, and global table replicas to the key logical id and alias', () => {
    for (const id of ['Logs', 'Replicated', 'Global']) {
      expect(store('Lone-EU', id).key).toEqual({ kind: 'customer-managed', label: 'customer managed key Key (alias/demo/eu)', keyLogicalId: 'Key', aliases: ['alias/demo/eu'] });
      expect(store('Lone-EU', id).flag).toBeUndefined();
    }
  });

  it('flags a store encrypted with a key imported from another region', () => {
    expect(store('Lone-EU', 'Vault').key).toMatchObject({ kind: 'imported', region: 'us-west-2' });
    expect(store('Lone-EU', 'Vault').flag).toBe("encrypted with a key in us-west-2, outside the stack's region eu-central-1");
  });

  it('lists what leaves the region: flags a destination outside the jurisdiction or unproven, not one inside', () => {
    expect(report.outboundFlows.map((f) => [f.logicalId, f.what, f.destinationRegion, f.flag])).toEqual([
      ['Secret', 'Secrets Manager replica', 'us-east-1', 'us-east-1 is outside the jurisdiction of EU'],
      ['Replicated', 'S3 replication', undefined, 'the destination region cannot be established from the assembly'],
      ['Global', 'DynamoDB global table replica', 'eu-west-1', undefined],
    ]);
  });

  it('recognises a CloudFront stack as the global edge and lists its metadata exceptions', () => {
    expect(stack('Edge').kind).toBe('edge');
    expect(store('Edge', 'Directory')).toMatchObject({ key: { kind: 'aws-owned' }, note: expect.stringContaining('hashed tenant directory') });
    expect(store('Edge', 'Directory').flag).toBeUndefined();
    expect(report.edge.present).toBe(true);
    const services = Object.fromEntries(report.globalExceptions.map((e) => [e.service, e]));
    expect(Object.keys(services).sort()).toEqual(['CloudFront configuration', 'Edge stores', 'Hashed tenant directory', 'Route 53']);
    expect(services['Edge stores']!.where).toEqual([
      { stack: 'Edge', resources: ['DirectoryKey'] },
      { stack: 'Meta', resources: ['Logs'] },
    ]);
    expect(store('Edge', 'DirectoryKey').key).toMatchObject({ kind: 'customer-managed', keyLogicalId: 'EdgeKey' });
    expect(services['CloudFront configuration']!.why).toContain('caching is disabled');
    expect(services['Route 53']!.where).toEqual([{ stack: 'Edge', resources: ['app.example.com.'] }]);
    expect(report.privacy.find((p) => p.question.includes('in transit'))!.answer).toContain('TLSv1.2_2021');
  });

  it('reads the realms tagRealm recorded on a shared stack, and flags a realm claimed by two stacks', () => {
    expect(report.realms.filter((r) => r.stack === 'Shared').map((r) => [r.realm, r.realmSource, r.sharesStackWith])).toEqual([
      ['EU', 'tag', ['DE']],
      ['DE', 'tag', ['EU']],
    ]);
    expect(report.flags).toContain('EU: claimed by more than one stack');
  });

  it('treats a stack declared metadata-only as part of the edge, not as unassigned', () => {
    expect(stack('Meta').kind).toBe('edge');
    expect(report.edge.stacks).toEqual(['Edge', 'Meta']);
    expect(report.flags.filter((f) => f.startsWith('Meta'))).toEqual(['Meta/Logs (CloudWatch log group): not under a customer managed key: AWS owned key (CloudWatch Logs default encryption)']);
  });

  it('flags a stack that holds data but records no realm', () => {
    expect(stack('Orphan').kind).toBe('unassigned');
    expect(report.flags).toContain('Orphan: holds 1 stores but records no realm, so its data cannot be placed in a jurisdiction');
    expect(report.costs.stacks.find((c) => c.stack === 'Orphan')!.perTenant).toEqual([]);
  });

  it('keeps acknowledged findings with their reasons, without build paths or stack traces', () => {
    expect(report.findings.acknowledged).toEqual([
      {
        pack: 'AwsSolutions',
        rule: 'AwsSolutions-SMG4',
        acknowledgedId: 'AwsSolutions::AwsSolutions-SMG4',
        stack: 'Lone-EU',
        resource: 'Secret/Resource',
        reason: 'Issued by a third party and rotated at its issuer, see <source> for the reader.',
      },
    ]);
    expect(report.findings.open).toEqual([
      { pack: 'AwsSolutions', rule: 'AwsSolutions-X1', severity: 'warning', stack: 'Lone-EU', resource: 'Table/Resource', description: 'Something to look at.' },
    ]);
    expect(JSON.stringify(report)).not.toContain('/home/builder');
  });

  it('prices the edge without tenant storage and the realm with it', () => {
    const edge = report.costs.stacks.find((c) => c.stack === 'Edge')!;
    expect(edge.perTenant.map((l) => l.price)).toEqual(['cloudFrontPer10kHttps']);
    const realm = report.costs.stacks.find((c) => c.stack === 'Lone-EU')!;
    expect(realm.fixed.map((l) => [l.price, l.quantity])).toEqual([['kmsKeyMonth', 1], ['secretMonth', 1]]);
    expect(realm.perTenant.map((l) => l.price)).toEqual(expect.arrayContaining(['dynamoReadPerMillion', 'dynamoGbMonth', 's3GbMonth']));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));
});

describe('readAssembly refuses what is not a usable assembly', () => {
  const fresh = (): string => mkdtempSync(join(tmpdir(), 'bad-assembly-'));

  it('names a missing manifest.json', () => {
    const dir = fresh();
    expect(() => readAssembly(dir)).toThrow(new ReportError(`${join(dir, 'manifest.json')}: not found; expected the manifest of a cloud assembly (run \`npx cdk synth\` first)`));
  });

  it('names a manifest that is not a manifest', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'manifest.json'), '{"version": "tree-0.1"}');
    expect(() => readAssembly(dir)).toThrow(/manifest\.json: unreadable \(.*\); expected a cloud assembly manifest$/);
  });

  it('names the template a stack points at when it is missing', () => {
    const dir = writeAssembly({ S: STACKS.Orphan! }, VALIDATION);
    rmSync(join(dir, 'S.template.json'));
    expect(() => readAssembly(dir)).toThrow(`${join(dir, 'S.template.json')}: not found; expected the template of stack S named in manifest.json`);
  });

  it('names a missing validation report', () => {
    const dir = writeAssembly({ S: STACKS.Orphan! }, undefined);
    expect(() => readAssembly(dir)).toThrow(`${join(dir, 'validation-report.json')}: not found; expected the compliance report (synthesize with applyCompliance attached)`);
  });

  it('names an assembly without stacks', () => {
    const dir = writeAssembly({}, VALIDATION);
    expect(() => readAssembly(dir)).toThrow(/found no CloudFormation stacks/);
  });
});

describe('the retention answer', () => {
  const answerFor = (deletionPolicy: string) => {
    const dir = writeAssembly(
      { Only: { region: 'eu-central-1', tags: { 'cdk-residency:realm': 'EU' }, resources: { Table: { Type: 'AWS::DynamoDB::Table', DeletionPolicy: deletionPolicy } } } },
      VALIDATION,
    );
    return buildTrustReport(readAssembly(dir)).privacy.find((p) => p.question === 'How long is data retained?')!.answer;
  };

  it.each(['Retain', 'RetainExceptOnCreate'])('says tables outlive their stack under DeletionPolicy %s', (policy) => {
    expect(answerFor(policy)).toContain('tables are retained even if a stack is deleted');
  });

  it('does not claim it for a table deleted with its stack', () => {
    expect(answerFor('Delete')).not.toContain('retained even if a stack is deleted');
  });
});

describe('scrubPaths', () => {
  it('removes stack-trace lines, given roots and absolute source paths, and keeps relative ones', () => {
    const text = 'see /work/app/lib/x.ts:3:4 and constructs/secure-api/index.ts in /work/app/cdk.out\n    at foo (/work/app/y.js:1:2)';
    expect(scrubPaths(text, ['/work/app'])).toBe('see <build>/lib/x.ts:3:4 and constructs/secure-api/index.ts in <build>/cdk.out');
    expect(scrubPaths('see /opt/build/lib/x.ts:3:4 now')).toBe('see <source> now');
  });
});

describe('trust-report.html of a hand-written assembly', () => {
  const hostile = '<script>alert(1)</script> & "quoted"';
  let html: string;
  let report: TrustReport;
  beforeAll(() => {
    const validation = structuredClone(VALIDATION);
    validation.pluginReports[0]!.suppressedViolations[0]!.reason = hostile;
    const stacks = { ...STACKS, Faraway: { region: 'xx-nowhere-1', tags: { 'cdk-residency:realm': 'AU' }, resources: { Logs: { Type: 'AWS::Logs::LogGroup', Properties: { KmsKeyId: KEY, RetentionInDays: 7 } }, Key: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } } } } };
    const dir = writeAssembly(stacks, validation);
    report = buildTrustReport(readAssembly(dir), { now: new Date('2026-01-02T03:04:05Z') });
    html = renderHtml(report);
    rmSync(dir, { recursive: true, force: true });
  });

  it('puts Attention, in red, before the map, naming the stacks it cannot place', () => {
    const attention = /<section id="attention" class="attention">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
    expect(html.indexOf('id="attention"')).toBeLessThan(html.indexOf('id="residency-map"'));
    expect(attention).toContain('Orphan: holds 1 stores but records no realm');
    expect(attention).toContain('Faraway: region xx-nowhere-1 is not in lib/report/region-positions.ts');
    expect(residencyMap(report).unplaced).toEqual(['Orphan', 'Faraway']);
  });

  it('escapes every text taken from the assembly', () => {
    expect(html).not.toContain(hostile);
    expect(html).toContain(escapeHtml(hostile));
    expect(html.match(/<script>/g)).toHaveLength(1);
  });

  it('references nothing outside the file: no URL in src, href or url(), and a CSP that forbids fetching', () => {
    expect(html).not.toMatch(/\b(?:src|href)\s*=\s*(?!["']?#)/i);
    expect(html).not.toMatch(/url\((?!#)/);
    expect(html).not.toMatch(/@import|<link\b/i);
    expect(html).toContain("default-src 'none'");
  });

  it('places each region box by longitude: west of another region, left of it', () => {
    const x = (region: string) => Number(new RegExp(`data-region="${region}"><rect x="([\\d.]+)"`).exec(residencyMap(report).svg)![1]);
    expect(x('us-east-1')).toBeLessThan(x('eu-central-1'));
  });
});

describe("calls to the customer's Atlassian site", () => {
  const report = (resources: Record<string, object>) => {
    const dir = writeAssembly({ 'Net-EU': { region: 'eu-central-1', tags: { 'cdk-residency:realm': 'EU' }, resources: { ...resources, Key: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } } } } }, VALIDATION);
    const built = buildTrustReport(readAssembly(dir));
    rmSync(dir, { recursive: true, force: true });
    return built;
  };
  const egress = (hosts: string[]) => ({ Type: 'AWS::Lambda::Function', Properties: { Environment: { Variables: { RESIDENCY_EGRESS_HOSTS: JSON.stringify(hosts) } } } });

  it("are a flow of the realm's egress function, noted and not flagged, drawn to the site", () => {
    const built = report({ Egress: egress(['*.atlassian.net', 'api.atlassian.com']) });
    expect(built.outboundFlows).toEqual([
      expect.objectContaining({ stack: 'Net-EU', logicalId: 'Egress', destination: "the tenant's Atlassian site (*.atlassian.net, api.atlassian.com)", note: expect.stringContaining("customer's own product") }),
    ]);
    expect(built.outboundFlows[0]!.flag).toBeUndefined();
    expect(residencyMap(built).arrows).toEqual([expect.objectContaining({ from: 'eu-central-1', to: "customer's Atlassian site", flows: [0], label: '1: Atlassian site' })]);
  });

  it('flag an egress function that reaches a host that is not Atlassian\'s', () => {
    expect(report({ Egress: egress(['*.atlassian.net', 'collector.example.com']) }).outboundFlows).toEqual([
      expect.objectContaining({ logicalId: 'Egress', flag: "the egress function reaches hosts that are not Atlassian's: *.atlassian.net, collector.example.com" }),
    ]);
  });

  it('flag a gateway to the internet in a realm, which would bypass the egress function', () => {
    expect(report({ Nat: { Type: 'AWS::EC2::NatGateway', Properties: { SubnetId: 'subnet-1' } } }).outboundFlows).toEqual([
      expect.objectContaining({ logicalId: 'Nat', destination: 'the internet', flag: expect.stringContaining('only through the egress function') }),
    ]);
  });
});

