import { AcknowledgedFinding } from './findings';
import { escapeHtml as esc } from './html-escape';
import { TrustReport } from './model';
import { residencyMap } from './residency-map';

/**
 * Renders the trust report as one self-contained HTML page: inline CSS and SVG, no network,
 * complete without script (a small inline script only filters the findings table), printable.
 */
export function renderHtml(r: TrustReport): string {
  const map = residencyMap(r);
  const title = `Trust report${r.appKey ? `: ${r.appKey}` : ''}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title><style>${CSS}</style></head><body>
<h1>${esc(title)}</h1>
<p class="meta">Generated ${esc(r.generatedAt)} from the cloud assembly <code>${esc(r.assembly.name)}</code> (schema ${esc(r.assembly.version)}). Every fact is read from the synthesized templates and <code>validation-report.json</code>, not from the config.</p>
${attention(r, map.unplaced)}
<section id="map"><h2>Residency map</h2>
<p>Each region with the realms whose data rests there, their stores and the keys that encrypt them (K1, K2… per stack); each arrow is data that leaves a region, numbered in the table below.</p>
<figure id="map-figure">${map.svg}</figure>
${table(['#', 'From', 'To', 'What crosses', 'Why it is allowed'], map.arrows.flatMap((a) => a.flows.map((i) => {
    const f = r.outboundFlows[i]!;
    return [String(a.number), `${f.stack} (${a.from})`, f.destinationRegion ?? f.destination, f.what, f.flag ? `<strong class="bad">${esc(f.flag)}</strong>` : esc(f.note ?? 'inside the jurisdiction')];
  })), { raw: [4], id: 'flows', empty: 'No data leaves a region.' })}
</section>
${realmsSection(r)}
${inventorySection(r)}
${globalSection(r)}
${findingsSection(r)}
${costsSection(r)}
${privacySection(r)}
<script>${SCRIPT}</script>
</body></html>
`;
}

function attention(r: TrustReport, unplaced: readonly string[]): string {
  const items = [...r.flags, ...unplaced.map((s) => `${s}: the map cannot place this stack (no region it knows, or no realm)`)];
  if (items.length === 0) return '<section id="attention" class="ok"><h2>Attention</h2><p>Nothing flagged: every store is under a customer managed key of its own region, and no data leaves a realm\'s region except as listed on the map.</p></section>';
  return `<section id="attention" class="attention"><h2>Attention</h2><ul>${items.map((f) => `<li>${esc(f)}</li>`).join('')}</ul></section>`;
}

function realmsSection(r: TrustReport): string {
  const realms = table(
    ['Realm', 'Atlassian location', 'Region', 'Stack', 'In jurisdiction'],
    r.realms.map((x) => [x.realm, x.atlassianLocation, x.region ?? '(none)', x.stack + (x.sharesStackWith.length ? ` (shared with ${x.sharesStackWith.join(', ')})` : ''), x.inJurisdiction ? 'yes' : 'NO']),
  );
  const stacks = r.stacks.map((s) => {
    const heading = s.kind === 'edge' ? `Global edge (metadata only): ${s.region ?? 'no region'} (${s.stack})` : `${s.realms.join(' + ') || 'No realm'}: ${s.region ?? 'no region'} (${s.stack})`;
    const keys = s.keys.length
      ? `<ul>${s.keys.map((k) => `<li>KMS key ${esc(k.logicalId)}${k.aliases.length ? ` (${esc(k.aliases.join(', '))})` : ''}: rotation ${k.rotation ? 'on' : '<strong class="bad">off</strong>'}, ${k.multiRegion ? '<strong class="bad">multi-Region</strong>' : 'single-Region'}</li>`).join('')}</ul>`
      : '<p>No customer managed key.</p>';
    const stores = table(
      ['Store', 'Resource', 'Encrypted with', 'Retention', 'Check'],
      s.stores.map((st) => [st.kind, st.path ?? st.logicalId, st.key.label, st.retention ?? '', st.flag ? `<strong class="bad">${esc(st.flag)}</strong>` : esc(st.note ?? 'ok')]),
      { raw: [4], empty: 'No stores.' },
    );
    const backups = s.backups.length ? `<p>Backups: ${esc(s.backups.join('; '))}</p>` : s.kind === 'realm' ? '<p class="bad">No backup plan.</p>' : '';
    return `<h3>${esc(heading)}</h3>${keys}${backups}${stores}`;
  });
  return `<section id="realms"><h2>Realms: stores, keys, retention, backups</h2>${realms}${stacks.join('')}</section>`;
}

function inventorySection(r: TrustReport): string {
  const rows = r.inventory.map((e) => [
    `<strong>${esc(e.data)}</strong><br><span class="small">${esc(e.what)}</span>`,
    e.inResidencyScope ? 'yes' : 'no (global metadata)',
    esc(e.restsIn.map((l) => `${l.realms.join(' + ') || 'edge'} in ${l.region ?? 'no region'} (${l.resources.length})`).join('; ')),
    esc(e.retention),
    esc(e.deletion),
    `<span class="small">${esc(e.evidence)}</span>`,
  ]);
  return `<section id="inventory"><h2>Data inventory</h2><p>Each kind of data the app keeps, whether it is in scope for data residency, where it rests, how long and how it is deleted (also in <code>trust-report.json</code> under <code>inventory</code>).</p>${table(['Data', 'Residency scope', 'Rests in', 'Retention', 'Deletion', 'Read from'], rows, { raw: [0, 1, 2, 3, 4, 5] })}</section>`;
}

function globalSection(r: TrustReport): string {
  const rows = r.globalExceptions.map((e) => [e.service, e.what, e.why, e.where.map((w) => `${w.stack} (${w.resources.length})`).join(', ')]);
  const edge = r.edge.present ? `The global edge is ${r.edge.stacks.join(', ')}.` : "No global edge stack: Atlassian calls each realm's regional base URL directly.";
  return `<section id="global"><h2>Global services, and why they hold no tenant data</h2>${table(['Global service', 'What', 'Why', 'Declared in'], rows)}<p>${esc(edge)}</p></section>`;
}

function findingsSection(r: TrustReport): string {
  const f = r.findings;
  const packs = Object.keys(f.byPack);
  const groups = packs.map((pack) => {
    const rows = new Map<string, { a: AcknowledgedFinding; resources: string[] }>();
    for (const a of f.acknowledged.filter((x) => x.pack === pack)) {
      const k = `${a.acknowledgedId}\u0000${a.reason}`;
      const g = rows.get(k) ?? { a, resources: [] };
      g.resources.push(`${a.stack}/${a.resource}`);
      rows.set(k, g);
    }
    const c = f.byPack[pack]!;
    return `<h3>${esc(pack)}: ${c.acknowledged} acknowledged, ${c.open} open</h3>${table(
      ['Rule', 'Resources', 'Reason'],
      [...rows.values()].map((g) => [ruleOf(g.a), `${g.resources.length}: ${g.resources.join(', ')}`, g.a.reason]),
      { cls: 'findings', empty: 'No acknowledged findings.' },
    )}`;
  });
  const open = f.open.length ? `<h3 class="bad">Open findings</h3>${table(['Pack', 'Rule', 'Severity', 'Resource', 'Description'], f.open.map((o) => [o.pack, o.rule, o.severity, `${o.stack}/${o.resource}`, o.description]))}` : '';
  return `<section id="findings"><h2>Acknowledged findings</h2><p>${f.acknowledged.length} acknowledged findings (one per rule and resource), ${f.open.length} open, grouped by pack.</p>
<p class="noprint"><label>Filter findings: <input id="findings-filter" type="search" placeholder="rule, resource or reason"></label></p>${groups.join('')}${open}</section>`;
}

function costsSection(r: TrustReport): string {
  const c = r.costs;
  const rows = c.stacks.map((s) => [s.stack, usd(s.fixedMonthlyUsd), usd(s.perTenantMonthlyUsd, 4)]);
  return `<section id="costs"><h2>Estimated cost (an estimate, not a bill)</h2><p>List prices of <strong>${esc(c.priceTable.priceDate)}</strong> from <code>${esc(c.priceTable.file)}</code>, ${esc(c.priceTable.region)}: ${esc(c.priceTable.asOf)}. Per tenant: ${c.assumptions.requestsPerMonth} requests a month.</p>${table(['Stack', 'Fixed, USD/month (estimate)', 'Per tenant, USD/month (estimate)'], rows)}</section>`;
}

function privacySection(r: TrustReport): string {
  const items = r.privacy.map((p) => `<div class="answer"><h3>${esc(p.section)}: ${esc(p.question)}</h3><p>${esc(p.answer)}</p><p class="small">Evidence: ${esc(p.evidence)}</p></div>`);
  return `<section id="privacy"><h2>Marketplace Privacy &amp; Security answers</h2>${items.join('')}</section>`;
}

// Cells are escaped unless their column is listed in `raw` (already-built markup from escaped parts).
function table(head: readonly string[], rows: readonly (readonly string[])[], o: { raw?: readonly number[]; id?: string; cls?: string; empty?: string } = {}): string {
  if (rows.length === 0 && o.empty) return `<p>${esc(o.empty)}</p>`;
  const cell = (v: string, i: number): string => `<td>${o.raw?.includes(i) ? v : esc(v)}</td>`;
  return `<table${o.id ? ` id="${o.id}"` : ''}${o.cls ? ` class="${o.cls}"` : ''}><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((row) => `<tr>${row.map(cell).join('')}</tr>`).join('')}</tbody></table>`;
}

function ruleOf(a: AcknowledgedFinding): string {
  const at = a.acknowledgedId.indexOf('::');
  return at >= 0 ? a.acknowledgedId.slice(at + 2) : a.rule;
}

function usd(n: number, digits = 2): string {
  return `$${n.toFixed(digits)}`;
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#212529;max-width:1200px;margin:0 auto;padding:16px 24px}
h1{font-size:24px;margin:8px 0}h2{font-size:19px;border-bottom:1px solid #dee2e6;padding-bottom:4px;margin-top:28px}h3{font-size:15px;margin:18px 0 6px}
code{font-family:ui-monospace,monospace;font-size:12px}.meta,.small{color:#495057;font-size:12px}
table{border-collapse:collapse;width:100%;margin:8px 0;font-size:12.5px}th,td{border:1px solid #dee2e6;padding:4px 6px;text-align:left;vertical-align:top;overflow-wrap:anywhere}th{background:#f1f3f5}
.attention{border:2px solid #c92a2a;background:#fff5f5;color:#c92a2a;padding:4px 16px;border-radius:6px}.attention h2{color:#c92a2a;border-color:#ffa8a8}
.ok{border:1px solid #b2f2bb;background:#ebfbee;padding:4px 16px;border-radius:6px}.bad{color:#c92a2a}
figure{margin:0;border:1px solid #dee2e6;border-radius:6px;padding:4px}svg{display:block;max-width:100%;height:auto}
.answer p{margin:4px 0}input[type=search]{font:inherit;padding:3px 6px;width:320px}
@media print{body{max-width:none;padding:0;font-size:11px}.noprint{display:none}section{break-inside:auto}figure,tr,.answer{break-inside:avoid}h2,h3{break-after:avoid}a{color:inherit}}
`;

// Progressive enhancement: without script every finding is listed.
const SCRIPT = `
(function(){var input=document.getElementById('findings-filter');if(!input)return;
input.addEventListener('input',function(){var q=input.value.toLowerCase();
document.querySelectorAll('table.findings tbody tr').forEach(function(tr){tr.hidden=q!==''&&tr.textContent.toLowerCase().indexOf(q)<0;});});})();
`;
