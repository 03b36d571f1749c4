import { AcknowledgedFinding } from './findings';
import { TrustReport } from './model';
import { UNIT_PRICES } from './unit-prices';

/** Renders the trust report as Markdown (GitHub-flavoured, with a Mermaid block). */
export function renderMarkdown(r: TrustReport): string {
  return [
    `# Trust report${r.appKey ? `: ${r.appKey}` : ''}`,
    `Generated ${r.generatedAt} from the cloud assembly \`${r.assembly.name}\` (schema ${r.assembly.version}). Every fact below is read from the synthesized templates and \`validation-report.json\`, not from the config.`,
    realmsSection(r),
    attentionSection(r),
    `## Realms and data flows\n\n\`\`\`mermaid\n${r.mermaid}\n\`\`\``,
    storesSection(r),
    leavesSection(r),
    findingsSection(r),
    costsSection(r),
    privacySection(r),
  ].join('\n\n') + '\n';
}

function realmsSection(r: TrustReport): string {
  const rows = r.realms.map((x) => [x.realm, x.atlassianLocation, x.region ?? '(none)', x.stack + (x.sharesStackWith.length ? ` (shared with ${x.sharesStackWith.join(', ')})` : ''), x.realmSource, x.inJurisdiction ? 'yes' : '**no**']);
  const fallback = r.realms.some((x) => x.realmSource === 'description')
    ? '\n\nRealm from `description`: the stack carries no realm tag, so its realm was read from the description RealmStack writes.'
    : '';
  return `## Realms\n\n${table(['Realm', 'Atlassian location', 'Region', 'Stack', 'Realm from', 'In jurisdiction'], rows)}${fallback}`;
}

function attentionSection(r: TrustReport): string {
  return `## Attention\n\n${r.flags.length ? r.flags.map((f) => `- ${f}`).join('\n') : 'Nothing flagged: every store is under a customer managed key of its own region, and no data leaves a realm\'s region except as listed under "Data leaving a region".'}`;
}

function storesSection(r: TrustReport): string {
  const parts = r.stacks.map((s) => {
    const title = s.kind === 'edge' ? `Global edge (metadata only): ${s.region ?? 'no region'} (${s.stack})` : `${s.realms.join(' + ') || 'No realm'}: ${s.region ?? 'no region'} (${s.stack})`;
    const keys = s.keys.length
      ? s.keys.map((k) => `- KMS key ${k.logicalId}${k.aliases.length ? ` (${k.aliases.join(', ')})` : ''}: rotation ${k.rotation ? 'on' : '**off**'}, ${k.multiRegion ? '**multi-Region**' : 'single-Region'}`).join('\n')
      : '- no customer managed key';
    const rows = s.stores.map((st) => [st.kind, st.path ?? st.logicalId, st.key.label, st.flag ? `**${st.flag}**` : (st.note ?? 'ok')]);
    return `### ${title}\n\n${keys}\n\n${rows.length ? table(['Store', 'Resource', 'Encrypted with', 'Check'], rows) : 'No stores.'}`;
  });
  return `## Where data rests\n\n${parts.join('\n\n')}`;
}

function leavesSection(r: TrustReport): string {
  const exceptions = table(
    ['Global service', 'What', 'Why', 'Declared in'],
    r.globalExceptions.map((e) => [e.service, e.what, e.why, e.where.map((w) => `${w.stack} (${w.resources.length})`).join(', ')]),
  );
  const edge = r.edge.present
    ? `The global edge is ${r.edge.stacks.join(', ')}.`
    : 'This assembly has no global edge stack: Atlassian calls each realm\'s regional base URL directly; there is no CloudFront configuration and no tenant directory.';
  const flows = r.outboundFlows.length
    ? table(['Stack', 'Resource', 'What', 'Destination', 'Check'], r.outboundFlows.map((f) => [f.stack, f.logicalId, f.what, f.destinationRegion ?? f.destination, f.flag ? `**${f.flag}**` : (f.note ?? 'inside the jurisdiction')]))
    : 'No replica, replication, backup copy, log subscription, migration or multi-Region key sends data out of a stack\'s region.';
  return `## What leaves the region, and why\n\nOnly metadata is global:\n\n${exceptions}\n\n${edge}\n\n### Data leaving a region\n\n${flows}`;
}

function findingsSection(r: TrustReport): string {
  const f = r.findings;
  const counts = table(['Pack', 'Acknowledged', 'Open'], Object.entries(f.byPack).map(([pack, c]) => [pack, String(c.acknowledged), String(c.open)]));
  // One row per pack, rule and reason; the JSON keeps one entry per resource.
  const groups = new Map<string, { first: AcknowledgedFinding; resources: string[] }>();
  for (const a of f.acknowledged) {
    const key = `${a.pack}\u0000${a.acknowledgedId}\u0000${a.reason}`;
    const g = groups.get(key) ?? { first: a, resources: [] };
    g.resources.push(`${a.stack}/${a.resource}`);
    groups.set(key, g);
  }
  const acknowledged = table(
    ['Pack', 'Rule', 'Resources', 'Reason'],
    [...groups.values()].map((g) => [g.first.pack, ruleOf(g.first), listed(g.resources), g.first.reason]),
  );
  const open = f.open.length ? `\n\n### Open findings\n\n${table(['Pack', 'Rule', 'Severity', 'Resource', 'Description'], f.open.map((o) => [o.pack, o.rule, o.severity, `${o.stack}/${o.resource}`, o.description]))}` : '';
  return `## Acknowledged findings\n\n${f.acknowledged.length} acknowledged findings (one per rule and resource), ${f.open.length} open.\n\n${counts}\n\n${acknowledged}${open}`;
}

function costsSection(r: TrustReport): string {
  const c = r.costs;
  const realmsOf = (stack: string): string => r.stacks.find((s) => s.stack === stack)?.realms.join(' + ') || (r.edge.stacks.includes(stack) ? 'global edge' : '-');
  const summary = table(['Stack', 'Realms', 'Fixed, USD/month', 'Per tenant, USD/month'], c.stacks.map((s) => [s.stack, realmsOf(s.stack), usd(s.fixedMonthlyUsd), usd(s.perTenantMonthlyUsd, 4)]));
  const a = c.assumptions;
  const assumptions = [
    `${a.requestsPerMonth} requests a month, ${a.invocationsPerRequest} function invocations of ${a.averageDurationMs} ms each per request`,
    `${a.tableReadsPerRequest} table reads and ${a.tableWritesPerRequest} table writes per request`,
    `${a.storedKb} KB in the tenant table, ${a.objectKb} KB in object storage, ${a.logBytesPerRequest} log bytes per request`,
  ].map((x) => `- ${x}`).join('\n');
  const lines = c.stacks.map((s) => `**${s.stack}**\n\n${table(['Item', 'Quantity', 'Unit price (USD)', 'USD/month'], [...s.fixed, ...s.perTenant].map((l) => [l.item, String(l.quantity), String(l.unitPriceUsd), usd(l.monthlyUsd, 4)]))}`);
  const prices = table(['Price', 'USD', 'Per', 'Source'], Object.entries(UNIT_PRICES).map(([name, p]) => [name, String(p.usd), p.per, p.source]));
  return (
    `## Estimated cost (estimate)\n\nAn **estimate** from list prices, not a bill: unit prices from \`${c.priceTable.file}\`, ${c.priceTable.region}, ${c.priceTable.asOf}. ` +
    `Fixed cost is what a stack costs with no tenants; per-tenant cost is what one more tenant adds (the edge's per-tenant cost adds to every realm's).\n\n${summary}\n\nPer-tenant assumptions:\n\n${assumptions}\n\n` +
    `<details><summary>Lines of the estimate</summary>\n\n${lines.join('\n\n')}\n\n</details>\n\n<details><summary>Unit prices</summary>\n\n${prices}\n\n</details>`
  );
}

function privacySection(r: TrustReport): string {
  const rows = r.privacy.map((p) => `**${p.section}: ${p.question}**\n\n${p.answer}`);
  return `## Marketplace Privacy & Security answers\n\n${rows.join('\n\n')}`;
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`)].join('\n');
}

// Long lists are cut in the Markdown; the JSON keeps every resource.
function listed(resources: readonly string[], shown = 5): string {
  const head = resources.slice(0, shown).join(', ');
  return `${resources.length}: ${head}${resources.length > shown ? `, and ${resources.length - shown} more (see trust-report.json)` : ''}`;
}

// The acknowledged id without its pack prefix: `AwsSolutions-IAM5[Resource::*]`.
function ruleOf(a: AcknowledgedFinding): string {
  const at = a.acknowledgedId.indexOf('::');
  return at >= 0 ? a.acknowledgedId.slice(at + 2) : a.rule;
}

function usd(n: number, digits = 2): string {
  return `$${n.toFixed(digits)}`;
}
