import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { loadConfig } from '../../lib/config';
import { applyCompliance } from '../../lib/compliance';
import { TrustReport, UNIT_PRICES, flowDestination, flowKind } from '../../lib/report';
import { addResidencyStacks } from '../../lib/stacks/residency-app';
import { ENV } from '../../runtime/lambda/environment';
import { EXAMPLE_CONFIG_PATH } from '../helpers/example-config';
import { NO_BUNDLING } from '../helpers/example-app';
import { CHROMIUM, HAS_CHROMIUM, OfflinePage, openOffline } from './browser';
import { runReport } from './cli';

type Resource = { Type: string; Properties?: any };
type Template = { Resources: Record<string, Resource> };

const config = loadConfig(EXAMPLE_CONFIG_PATH);
const out = mkdtempSync(join(tmpdir(), 'trust-report-'));
let run: ReturnType<typeof runReport>;
let report: TrustReport;
let markdown: string;
let json: string;
const templates = new Map<string, Template>();

// One in-process synth of the example app with every pack attached, then the real CLI on its assembly.
beforeAll(() => {
  const app = new App({ outdir: out, context: NO_BUNDLING });
  addResidencyStacks(app, config);
  applyCompliance(app);
  const assembly = app.synth();
  for (const s of assembly.stacks) templates.set(s.stackName, s.template as Template);
  run = runReport(['--assembly', out]);
  json = readFileSync(join(out, 'trust-report.json'), 'utf8');
  markdown = readFileSync(join(out, 'trust-report.md'), 'utf8');
  report = JSON.parse(json);
});

afterAll(() => rmSync(out, { recursive: true, force: true }));

const resourcesOf = (stack: string, ...types: string[]): Array<[string, Resource]> =>
  Object.entries(templates.get(stack)!.Resources).filter(([, r]) => types.includes(r.Type));

describe('npm run report on the synthesized example app', () => {
  it('exits 0 and says what it wrote', () => {
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(run.stdout).toMatch(/wrote .*trust-report\.md, .*trust-report\.json and .*trust-report\.html/);
  });

  it('lists every configured realm with the region and stack the assembly gives it', () => {
    const expected = config.stacks.flatMap((plan) => plan.realms.map((realm) => ({ realm, region: plan.region, stack: `${config.stackPrefix}-${plan.owner}` })));
    expect(report.realms.map((r) => ({ realm: r.realm, region: r.region, stack: r.stack }))).toEqual(expected);
    expect(report.realms.every((r) => r.inJurisdiction && r.realmSource === 'tag')).toBe(true);
  });

  it('pairs every table, bucket, log group, secret and vault with the KMS key its template names', () => {
    const types = ['AWS::DynamoDB::Table', 'AWS::S3::Bucket', 'AWS::Logs::LogGroup', 'AWS::SecretsManager::Secret', 'AWS::Backup::BackupVault'];
    const realmStacks = report.stacks.filter((e) => e.kind === 'realm');
    expect(realmStacks.map((e) => e.stack)).toEqual(config.stacks.map((p) => `${config.stackPrefix}-${p.owner}`));
    for (const entry of realmStacks) {
      const keyIds = resourcesOf(entry.stack, 'AWS::KMS::Key').map(([id]) => id);
      const expected = resourcesOf(entry.stack, ...types).map(([id, r]) => {
        const named = keyIds.filter((k) => JSON.stringify(r.Properties).includes(`"${k}"`));
        const alias = resourcesOf(entry.stack, 'AWS::KMS::Alias').find(([, a]) => JSON.stringify(a.Properties.TargetKeyId).includes(`"${named[0]}"`));
        return { logicalId: id, keyLogicalId: named.length === 1 ? named[0] : `${named.length} keys`, alias: alias?.[1].Properties.AliasName };
      });
      const reported = entry.stores.map((s) => ({ logicalId: s.logicalId, keyLogicalId: s.key.keyLogicalId, alias: s.key.aliases?.[0] }));
      expect(reported).toEqual(expected);
      expect(entry.stores.filter((s) => s.flag)).toEqual([]);
    }
  });

  it('counts exactly the acknowledged findings validation-report.json records', () => {
    const validation = JSON.parse(readFileSync(join(out, 'validation-report.json'), 'utf8'));
    const recorded = validation.pluginReports.flatMap((p: any) => (p.suppressedViolations ?? []).flatMap((s: any) => s.violatingConstructs));
    expect(recorded.length).toBeGreaterThan(0);
    expect(report.findings.acknowledged).toHaveLength(recorded.length);
    expect(report.findings.acknowledged.every((f) => f.reason.length > 0 && f.pack && f.rule && f.resource)).toBe(true);
    expect(markdown).toContain(`${recorded.length} acknowledged findings`);
  });

  it('leaks no absolute build path or stack trace, although the validation report has them', () => {
    const validation = readFileSync(join(out, 'validation-report.json'), 'utf8');
    expect(validation).toContain(process.cwd());
    for (const text of [markdown, json]) {
      for (const root of [out, process.cwd(), tmpdir(), homedir()]) expect(text).not.toContain(root);
      expect(text).not.toMatch(/\.ts:\d+:\d+/);
      expect(text).not.toMatch(/(^|[\s"'(])\/(work|home|tmp|root|Users|var)\//m);
    }
  });

  it('draws the realms in a mermaid block, one subgraph per realm stack', () => {
    const block = /```mermaid\n([\s\S]+?)\n```/.exec(markdown)?.[1];
    expect(block).toBeDefined();
    expect(block).toMatch(/^flowchart LR/);
    for (const plan of config.stacks) expect(block).toContain(`subgraph s_${config.stackPrefix}_${plan.owner}["${plan.realms.join(' + ')}: ${plan.region}`);
  });

  it('lists the global metadata exceptions the templates declare, and says whether an edge stack exists', () => {
    const has = (type: string): boolean => [...templates.keys()].some((s) => resourcesOf(s, type).length > 0);
    expect(report.globalExceptions.map((e) => e.service)).toEqual(expect.arrayContaining(['Route 53', 'IAM']));
    expect(report.edge.present).toBe(has('AWS::CloudFront::Distribution'));
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    const tagged = Object.entries<any>(manifest.artifacts).filter(([, a]) => a.properties?.tags?.['cdk-residency:edge']).map(([id]) => id);
    expect(report.edge.stacks).toEqual(tagged);
    if (report.edge.present) expect(report.globalExceptions.map((e) => e.service)).toEqual(expect.arrayContaining(['CloudFront configuration', 'Hashed tenant directory']));
    expect(markdown).toContain(report.edge.present ? 'The global edge is' : 'no global edge stack');
    // What leaves a region: each realm's migrations to the other realms' regions, and the relays'
    // tenant ids to the directory writer in us-east-1; none flagged, each with what bounds it.
    expect(report.outboundFlows.filter((f) => f.flag !== undefined)).toEqual([]);
    const migrations = report.outboundFlows.filter((f) => f.what.startsWith('data residency migration to '));
    const otherRegions = (stack: string) => new Set(report.realms.filter((r) => r.stack !== stack && r.region !== report.realms.find((x) => x.stack === stack)?.region).map((r) => r.region));
    for (const stack of new Set(report.realms.map((r) => r.stack))) {
      expect(new Set(migrations.filter((f) => f.stack === stack).map((f) => f.destinationRegion))).toEqual(otherRegions(stack));
    }
    expect(migrations.filter((f) => f.stack === 'ResidencyDemo-EU' && f.destinationRegion === 'us-east-2').map((f) => f.note)).toEqual([
      "outside the jurisdiction: only when the customer moves the tenant there (Atlassian's migration hooks), acknowledged",
    ]);
    const toDirectory = report.outboundFlows.filter((f) => f.what.startsWith('keyed hash of a tenant id'));
    expect(toDirectory.every((f) => f.destinationRegion === 'us-east-1')).toBe(true);
    expect(new Set(toDirectory.map((f) => f.stack))).toEqual(new Set(report.realms.filter((r) => r.region !== 'us-east-1').map((r) => r.stack)));
  });

  it('flags nothing: every store of the example is under a customer managed key of its region, every stack is a realm or the edge', () => {
    expect(report.flags).toEqual([]);
    expect(report.stacks.filter((s) => s.kind === 'unassigned')).toEqual([]);
    expect(markdown).toContain('Nothing flagged');
  });

  it('estimates costs as numbers from the listed unit prices, and says it is an estimate', () => {
    expect(report.costs.estimate).toBe(true);
    expect(markdown).toContain('## Estimated cost (estimate)');
    expect(markdown).toContain('lib/report/unit-prices.ts');
    for (const s of report.costs.stacks) {
      expect(typeof s.fixedMonthlyUsd).toBe('number');
      expect(s.fixedMonthlyUsd).toBeCloseTo(s.fixed.reduce((n, l) => n + l.monthlyUsd, 0), 6);
      const isRealm = report.stacks.find((e) => e.stack === s.stack)!.kind === 'realm';
      if (isRealm) expect(s.perTenantMonthlyUsd).toBeGreaterThan(0);
      const kms = s.fixed.find((l) => l.price === 'kmsKeyMonth');
      expect(kms?.monthlyUsd).toBe(resourcesOf(s.stack, 'AWS::KMS::Key').length * UNIT_PRICES.kmsKeyMonth.usd);
      const api = s.perTenant.find((l) => l.price === 'apiGatewayRestPerMillion');
      if (isRealm) expect(api?.monthlyUsd).toBeCloseTo((report.costs.assumptions.requestsPerMonth / 1e6) * UNIT_PRICES.apiGatewayRestPerMillion.usd, 6);
    }
  });

  it('answers the uninstall question with the TTL attribute and grace period the templates carry', () => {
    const stack = report.realms[0]!.stack;
    const ttl = resourcesOf(stack, 'AWS::DynamoDB::Table')[0]![1].Properties.TimeToLiveSpecification.AttributeName;
    const grace = resourcesOf(stack, 'AWS::Lambda::Function').map(([, f]) => f.Properties.Environment?.Variables?.[ENV.shredAfterDays]).find(Boolean);
    const answer = report.privacy.find((p) => p.question.includes('uninstalled'))!.answer;
    expect(answer).toContain(`attribute ${ttl}`);
    expect(answer).toContain(`grace period of ${grace} days`);
    const processors = report.privacy.find((p) => p.section === 'Third parties')!.answer;
    for (const plan of config.stacks) expect(processors).toContain(plan.region);
    expect(markdown).toContain('## Marketplace Privacy & Security answers');
  });
});

describe('npm run report without an assembly', () => {
  it('exits 1 with one line naming the missing directory, no stack trace', () => {
    const missing = join(out, 'no-such-assembly');
    const r = runReport(['--assembly', missing]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`trust report: ${missing}: no such directory; expected a cloud assembly (run \`npx cdk synth\` first, or pass --assembly <dir>)\n`);
  });

  it('exits 1 naming the missing manifest of a directory that is not an assembly', () => {
    const empty = mkdtempSync(join(tmpdir(), 'not-an-assembly-'));
    const bad = runReport(['--assembly', empty]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^trust report: .*manifest\.json: not found; expected the manifest of a cloud assembly/);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});

// The HTML report in a real browser: Debian's chromium driven by playwright-core, network closed.
const ROOT = join(__dirname, '..', '..');
const describeInBrowser = HAS_CHROMIUM ? describe : describe.skip;
if (!HAS_CHROMIUM) console.warn(`trust report browser test skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium; .ci/run installs it)`);

describeInBrowser('trust-report.html in headless Chromium, offline', () => {
  let view: OfflinePage;
  beforeAll(async () => {
    view = await openOffline(join(out, 'trust-report.html'));
  }, 60_000);
  afterAll(async () => view?.close());

  it('loads from disk without requesting anything else, and without errors', () => {
    expect({ refused: view.refused, failed: view.failed, errors: view.errors }).toEqual({ refused: [], failed: [], errors: [] });
  });

  it('shows every realm of the assembly as a box on the map, placed in its region', async () => {
    const boxes = await view.page.$$eval('#residency-map .realm-box', (els) => els.map((e) => ({ realm: e.getAttribute('data-realm'), region: e.closest('.region')!.getAttribute('data-region') })));
    expect(boxes.sort((a, b) => a.realm!.localeCompare(b.realm!))).toEqual(report.realms.map((r) => ({ realm: r.realm, region: r.region })).sort((a, b) => a.realm.localeCompare(b.realm)));
    for (const box of await view.page.$$('#residency-map .realm-box')) expect(await box.isVisible()).toBe(true);
  });

  it('draws every flow that leaves a region as a visible arrow, labelled with what crosses', async () => {
    const arrows = await view.page.$$eval('#residency-map .flow', (els) => els.map((e) => ({ from: e.getAttribute('data-from')!, to: e.getAttribute('data-to')!, flows: e.getAttribute('data-flows')!.split(' ').map(Number), label: e.querySelector('.flow-label')!.textContent!, visible: (e as unknown as { getBBox(): { width: number } }).getBBox().width > 0 })));
    expect(report.outboundFlows.length).toBeGreaterThan(0);
    expect(arrows.flatMap((a) => a.flows).sort((a, b) => a - b)).toEqual(report.outboundFlows.map((_, i) => i));
    for (const a of arrows) {
      expect(a.visible).toBe(true);
      for (const i of a.flows) {
        const f = report.outboundFlows[i]!;
        expect({ from: a.from, to: a.to }).toEqual({ from: report.stacks.find((s) => s.stack === f.stack)!.region, to: flowDestination(f) });
        expect(a.label).toContain(flowKind(f));
      }
    }
    const legend = await view.page.$$eval('#flows tbody tr', (rows) => rows.map((r) => r.children[3]!.textContent));
    expect(legend.sort()).toEqual(report.outboundFlows.map((f) => f.what).sort());
  });

  it('lists the data inventory and filters the findings without losing them when the filter is cleared', async () => {
    expect(await view.page.$$eval('#inventory tbody tr', (rows) => rows.length)).toBe(report.inventory.length);
    const visible = () => view.page.$$eval('table.findings tbody tr', (rows) => rows.filter((r) => !(r as unknown as { hidden: boolean }).hidden).length);
    const all = await visible();
    await view.page.fill('#findings-filter', 'AwsSolutions-IAM5');
    const some = await visible();
    expect(some).toBeGreaterThan(0);
    expect(some).toBeLessThan(all);
    await view.page.fill('#findings-filter', '');
    expect(await visible()).toBe(all);
  });

  it('saves a screenshot of the map and a PDF of the report into cdk.out/', async () => {
    const dir = join(ROOT, 'cdk.out');
    mkdirSync(dir, { recursive: true });
    await view.page.setViewportSize({ width: 1040, height: 900 });
    const map = await view.page.$('#map-figure');
    const png = await map!.screenshot({ path: join(dir, 'trust-report-map.png') });
    const pdf = await view.page.pdf({ path: join(dir, 'trust-report.pdf'), format: 'A4', printBackground: true });
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  }, 60_000);
});
