import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIN_REASON_LENGTH } from '../../constructs/acknowledge';
import { ATLASSIAN_API_HOSTS } from '../../runtime/atlassian-api/egress-target';
import { RealmName, jurisdictionOf } from '../../lib/config/realms';
import { METADATA_ONLY_TAG_KEY, REALMLESS_RULE_ID } from '../../lib/compliance/realm-tags';
import { cdk } from '../helpers/cdk-cli';

interface Violation {
  ruleName: string;
  severity: string;
  violatingConstructs: Array<{ constructPath: string }>;
}
interface Suppressed extends Violation {
  acknowledgedId: string;
  reason: string;
  acknowledgedAt: string;
}
interface PluginReport {
  pluginName: string;
  conclusion: string;
  violations: Violation[];
  suppressedViolations?: Suppressed[];
}

// One real `cdk synth` of the example app through bin/, with every pack attached.
const out = mkdtempSync(join(tmpdir(), 'residency-synth-'));
const run = cdk(['synth', '-q', '-o', out]);
const reports: PluginReport[] = run.status === 0 ? JSON.parse(readFileSync(join(out, 'validation-report.json'), 'utf8')).pluginReports : [];

describe('npx cdk synth of the example config', () => {
  it('exits 0', () => {
    expect({ status: run.status, stderr: run.status === 0 ? '' : run.stderr }).toEqual({ status: 0, stderr: '' });
  });

  it('ran every pack', () => {
    // aws-cdk-lib leaves a pack with neither findings nor acknowledgements out of the report:
    // AtlassianAppSecurity has none on the example (test/compliance/apply.test.ts shows it runs).
    expect(reports.map((r) => r.pluginName).sort()).toEqual(
      ['AwsSolutions', 'DataResidency', 'HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321', 'Serverless', 'cdk-validator-cfnguard'],
    );
  });

  it('leaves no error-severity finding unacknowledged', () => {
    const errors = reports.flatMap((r) =>
      r.violations.filter((v) => v.severity === 'error').map((v) => `${r.pluginName} ${v.ruleName} ${v.violatingConstructs.map((c) => c.constructPath).join(', ')}`),
    );
    expect(errors).toEqual([]);
  });

  it('gives every acknowledgement a namespaced id, a reason naming a control, and the narrowest construct', () => {
    const bad: string[] = [];
    for (const r of reports) {
      for (const s of r.suppressedViolations ?? []) {
        if (!s.acknowledgedId.includes('::')) bad.push(`${s.acknowledgedId}: not namespaced`);
        if ((s.reason ?? '').trim().length < MIN_REASON_LENGTH) bad.push(`${s.acknowledgedId}: reason too short`);
        // Acknowledged on the flagged resource itself, not on a parent that would hide siblings.
        for (const c of s.violatingConstructs) if (c.constructPath !== s.acknowledgedAt) bad.push(`${s.acknowledgedId}: at ${s.acknowledgedAt}, flagged ${c.constructPath}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("needs DataResidency acknowledgements only for the stores of stacks declared metadata-only, each relay's call to the edge's directory writer, the directory key it hashes with, and each egress function's calls to Atlassian's hosts", () => {
    const artifacts = run.status === 0 ? JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).artifacts : {};
    const metadataOnly = (path: string) => artifacts[path.split('/')[0]!]?.properties?.tags?.[METADATA_ONLY_TAG_KEY] === 'true';
    const residency = reports.find((r) => r.pluginName === 'DataResidency')?.suppressedViolations ?? [];
    const paths = residency.flatMap((s) => s.violatingConstructs.map((c) => `${s.acknowledgedId} ${c.constructPath}`));
    expect(paths.length).toBeGreaterThan(0);
    // A relay outside the US jurisdiction names the writer in us-east-1: its environment and its one permission.
    const relay = (p: string) =>
      /^DataResidency::DataResidency-(LambdaEnvironmentInJurisdiction|IAMPolicyInJurisdiction)\[[^\]]*:function:ResidencyDemo-tenant-directory::us-east-1\] ResidencyDemo-[A-Za-z]+\/DirectoryRelay\/Function\/(Resource|DataPolicy)\/Resource$/.test(p);
    // A relay reads the directory's pseudonymisation key in us-east-1 (its secret and that secret's KMS key), so tenant ids are hashed at home.
    const relayKey = (p: string) =>
      /^DataResidency::DataResidency-(LambdaEnvironmentInJurisdiction|IAMPolicyInJurisdiction)\[[^\]]*(:secret:ResidencyDemo-tenant-directory-key|:key\/)[^\]]*::us-east-1\] ResidencyDemo-[A-Za-z]+\/(DirectoryRelay|Migration)\/Function\/(Resource|DataPolicy)\/Resource$/.test(p);
    // A migration function names the stores of the realms outside its own jurisdiction, where a migration may take a tenant.
    const finding = (p: string) => /^DataResidency::DataResidency-\w+\[.*::([a-z0-9-]+)\] ResidencyDemo-([A-Za-z]+)\/Migration\/Function\/(Resource|DataPolicy)\/Resource$/.exec(p);
    // The egress function's calls to the tenant's own Atlassian site: the one flow of tenant data out of the region, Atlassian's API hosts only.
    const egress = (p: string) =>
      /^DataResidency::DataResidency-LambdaEgressToAtlassianOnly\[Egress::(\*\.atlassian\.net|\*\.jira\.com|api\.atlassian\.com)\] ResidencyDemo-[A-Za-z]+\/AtlassianEgress\/Function\/Resource\/Resource$/.test(p);
    const migration = (p: string) => {
      const m = finding(p);
      return m !== null && !jurisdictionOf(m[2] as RealmName).includes(m[1]!);
    };
    expect(paths.filter((p) => !relay(p) && !relayKey(p) && !egress(p) && !migration(p) && (!p.startsWith(`${REALMLESS_RULE_ID} `) || !metadataOnly(p.split(' ')[1]!)))).toEqual([]);
    const regionsFromEu = new Set(paths.map(finding).filter((m) => m?.[2] === 'EU').map((m) => m![1]));
    expect([...regionsFromEu].sort()).toEqual(['ap-southeast-2', 'us-east-1', 'us-east-2']);
    expect(paths.some((p) => finding(p)?.[2] === 'Global')).toBe(false); // Global's jurisdiction is every region
    const egressByStack = new Map<string, string[]>();
    for (const p of paths.filter(egress)) egressByStack.set(p.split(' ')[1]!.split('/')[0]!, [...(egressByStack.get(p.split(' ')[1]!.split('/')[0]!) ?? []), /Egress::([^\]]+)\]/.exec(p)![1]!]);
    expect(egressByStack.has('ResidencyDemo-EU')).toBe(true);
    for (const hosts of egressByStack.values()) expect(hosts.sort()).toEqual([...ATLASSIAN_API_HOSTS].sort());
    expect(paths.filter(relay).map((p) => p.split(' ')[1]!.split('/')[0]).sort()).toEqual(
      ['ResidencyDemo-AU', 'ResidencyDemo-AU', 'ResidencyDemo-DE', 'ResidencyDemo-DE', 'ResidencyDemo-EU', 'ResidencyDemo-EU'],
    );
  });

  it("acknowledges no AWS managed policy on AWS Backup's role, and only its own wildcards", () => {
    const onBackup = reports.flatMap((r) => (r.suppressedViolations ?? []).filter((s) => s.violatingConstructs.some((c) => /\/Backup\//.test(c.constructPath))));
    expect(onBackup.filter((s) => s.acknowledgedId.includes('IAM4'))).toEqual([]);
    expect([...new Set(onBackup.map((s) => s.acknowledgedId.replace(/\[.*$/, '')))]).toEqual(['AwsSolutions::AwsSolutions-IAM5']);
    expect(reports.flatMap((r) => (r.suppressedViolations ?? []).map((s) => s.acknowledgedId)).filter((id) => id.includes('AWSBackupServiceRolePolicy'))).toEqual([]);
  });

  it('prints the acknowledgements per pack', () => {
    const counts = Object.fromEntries(reports.map((r) => [r.pluginName, (r.suppressedViolations ?? []).reduce((n, s) => n + s.violatingConstructs.length, 0)]));
    // eslint-disable-next-line no-console
    console.log(`acknowledgements per pack, example config:\n${JSON.stringify(counts, null, 2)}`);
    expect(Object.keys(counts).length).toBeGreaterThan(0);
  });
});
