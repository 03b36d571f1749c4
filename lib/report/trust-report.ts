import { REALM_NAMES, isInJurisdiction, realmInfo } from '../config/realms';
import { ENV } from '../../runtime/lambda/environment';
import { Assembly, AssemblyStack } from './assembly';
import { DEFAULT_TENANT_ASSUMPTIONS, TenantAssumptions, estimateCosts } from './costs';
import { findingsOf } from './findings';
import { globalExceptions, outboundFlows } from './flows';
import { dataInventory } from './inventory';
import { at, list, num, str } from './json';
import { keysOfStack } from './keys';
import { mermaidDiagram } from './mermaid';
import { RealmEntry, StackEntry, TrustReport } from './model';
import { privacyAnswers } from './privacy-answers';
import { regionPosition } from './region-positions';
import { readStackRealms } from './stack-realms';
import { storesOfStack } from './stores';

/** Options of {@link buildTrustReport}. */
export interface TrustReportOptions {
  /**
   * What one tenant is assumed to do in a month, for the per-tenant cost.
   * @default DEFAULT_TENANT_ASSUMPTIONS
   */
  readonly assumptions?: TenantAssumptions;
  /**
   * Directories whose absolute paths must not appear in the report (the build root, the assembly).
   * @default - none beyond the generic removal of absolute source paths
   */
  readonly scrubRoots?: readonly string[];
  /**
   * The report's timestamp.
   * @default now
   */
  readonly now?: Date;
}

/** Builds the trust report from a cloud assembly: every fact comes from the templates and the validation report. */
export function buildTrustReport(assembly: Assembly, options: TrustReportOptions = {}): TrustReport {
  const stacks = assembly.stacks.map((source) => ({ source, entry: stackEntry(source) }));
  const realms = realmEntries(stacks.map((s) => s.entry));
  const exceptions = globalExceptions(assembly.stacks, new Set(stacks.filter((s) => s.entry.kind === 'edge').map((s) => s.entry.stack)));
  const flows = stacks.flatMap((s) => outboundFlows(s.source, s.entry.realms));
  const findings = findingsOf(assembly.validation, options.scrubRoots);
  const edgeStacks = stacks.filter((s) => s.entry.kind === 'edge').map((s) => s.entry.stack);
  const costs = estimateCosts(
    stacks.map((s) => ({ stack: s.source, holdsTenantData: s.entry.kind === 'realm' })),
    options.assumptions ?? DEFAULT_TENANT_ASSUMPTIONS,
  );
  const appKey = appKeyOf(assembly.stacks);
  return {
    format: 'cdk-residency/trust-report@1',
    ...(appKey ? { appKey } : {}),
    generatedAt: (options.now ?? new Date()).toISOString(),
    assembly: { name: assembly.name, version: assembly.version },
    realms,
    stacks: stacks.map((s) => s.entry),
    edge: { present: edgeStacks.length > 0, stacks: edgeStacks },
    globalExceptions: exceptions,
    outboundFlows: flows,
    inventory: dataInventory(stacks),
    findings,
    costs,
    privacy: privacyAnswers({ realms, stacks, exceptions }),
    mermaid: mermaidDiagram({ stacks, exceptions, flows }),
    flags: flagsOf(stacks.map((s) => s.entry), realms, flows, findings.open.length, assembly.stacks),
  };
}

function stackEntry(stack: AssemblyStack): StackEntry {
  const r = readStackRealms(stack);
  return {
    stack: stack.stackName,
    kind: r.kind,
    ...(stack.region ? { region: stack.region } : {}),
    realms: r.realms,
    realmSource: r.source,
    stores: storesOfStack(stack),
    keys: keysOfStack(stack),
    backups: backupsOf(stack),
  };
}

function realmEntries(stacks: readonly StackEntry[]): RealmEntry[] {
  return stacks
    .flatMap((s) =>
      s.realms.map((realm) => ({
        realm,
        atlassianLocation: realmInfo(realm).atlassianLocation,
        stack: s.stack,
        ...(s.region ? { region: s.region } : {}),
        realmSource: s.realmSource,
        inJurisdiction: s.region !== undefined && isInJurisdiction(realm, s.region),
        sharesStackWith: s.realms.filter((o) => o !== realm),
      })),
    )
    .sort((a, b) => REALM_NAMES.indexOf(a.realm) - REALM_NAMES.indexOf(b.realm));
}

function flagsOf(
  stacks: readonly StackEntry[],
  realms: readonly RealmEntry[],
  flows: TrustReport['outboundFlows'],
  openFindings: number,
  sources: readonly AssemblyStack[],
): string[] {
  const flags: string[] = [];
  for (const s of stacks) {
    if (s.kind === 'unassigned' && s.stores.length) flags.push(`${s.stack}: holds ${s.stores.length} stores but records no realm, so its data cannot be placed in a jurisdiction`);
    if (!s.region) flags.push(`${s.stack}: no region (environment-agnostic stack)`);
    else if (!regionPosition(s.region)) flags.push(`${s.stack}: region ${s.region} is not in lib/report/region-positions.ts, so the residency map cannot place it`);
    for (const st of s.stores) if (st.flag) flags.push(`${s.stack}/${st.path ?? st.logicalId} (${st.kind}): ${st.flag}`);
    for (const k of s.keys) if (k.flag) flags.push(`${s.stack}/${k.path ?? k.logicalId} (KMS key): ${k.flag}`);
  }
  for (const src of sources) {
    const unrecognised = readStackRealms(src).unrecognised;
    if (unrecognised.length) flags.push(`${src.stackName}: names unknown realms ${unrecognised.join(', ')}`);
  }
  for (const r of realms) {
    if (r.region && !r.inJurisdiction) flags.push(`${r.realm}: region ${r.region} is outside the realm's jurisdiction`);
    if (realms.filter((o) => o.realm === r.realm).length > 1 && realms.find((o) => o.realm === r.realm) === r) flags.push(`${r.realm}: claimed by more than one stack`);
  }
  for (const f of flows) if (f.flag) flags.push(`${f.stack}/${f.logicalId} (${f.what}): ${f.flag}`);
  if (openFindings) flags.push(`${openFindings} compliance findings are open (not acknowledged); see "Open findings"`);
  return flags;
}

function appKeyOf(stacks: readonly AssemblyStack[]): string | undefined {
  for (const s of stacks) {
    for (const r of Object.values(s.resources)) {
      const key = r.Type === 'AWS::Lambda::Function' ? str(at(r.Properties, 'Environment', 'Variables', ENV.appKey)) : undefined;
      if (key) return key;
    }
  }
  return undefined;
}

function backupsOf(stack: AssemblyStack): string[] {
  return Object.values(stack.resources)
    .filter((r) => r.Type === 'AWS::Backup::BackupPlan')
    .flatMap((r) => list(at(r.Properties, 'BackupPlan', 'BackupPlanRule')))
    .map((rule) => {
      const days = num(at(rule, 'Lifecycle', 'DeleteAfterDays'));
      return `${str(at(rule, 'RuleName')) ?? 'rule'} (${str(at(rule, 'ScheduleExpression')) ?? 'no schedule'}): kept ${days !== undefined ? `${days} days` : 'without expiry'}${list(at(rule, 'CopyActions')).length ? ', with copies' : ', no copies'}`;
    });
}
