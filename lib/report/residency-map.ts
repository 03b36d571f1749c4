import { escapeHtml } from './html-escape';
import { OutboundFlow } from './flows';
import type { StackEntry, TrustReport } from './model';
import { regionPosition } from './region-positions';

/** One arrow of the map: the flows from one region to one destination, numbered for the legend. */
export interface MapArrow {
  /** The arrow's number on the map and in the legend. */
  readonly number: number;
  /** The source region. */
  readonly from: string;
  /** The destination: a region, the customer's Atlassian site, or an unknown region. */
  readonly to: string;
  /** Indexes into the report's `outboundFlows`. */
  readonly flows: readonly number[];
  /** The short label drawn on the arrow. */
  readonly label: string;
  /** Whether any of its flows is flagged. */
  readonly flagged: boolean;
}

/** The residency map: an SVG string, its arrows (for the legend) and the stacks it could not place. */
export interface ResidencyMap {
  /** Self-contained SVG markup (no external reference), every text escaped. */
  readonly svg: string;
  /** The arrows, in number order. */
  readonly arrows: readonly MapArrow[];
  /** Stacks without a region the map knows, drawn apart in red. */
  readonly unplaced: readonly string[];
}

const BOX_W = 280;
const LINE = 14;
const PAD = 8;
const GAP = 16;
// Room between regions for the arrows and their labels.
const LANE = 90;
const WORLD_W = 1300;
const TOP = 64;
const ATLASSIAN_SITE = "customer's Atlassian site";
const UNKNOWN = 'unknown region';

interface Node {
  readonly id: string;
  readonly title: string;
  readonly stacks: readonly StackEntry[];
  readonly want: { x: number; y: number };
  readonly h: number;
  readonly kind: 'region' | 'destination' | 'unplaced';
  x: number;
  y: number;
}

/** The short name of a flow for its arrow: "migration", "directory", "Atlassian site", or what it is. */
export function flowKind(f: OutboundFlow): string {
  if (f.what.startsWith('data residency migration')) return 'migration';
  if (f.what.startsWith('tenant id and realm name')) return 'directory';
  if (f.what.startsWith("calls to the customer's own Atlassian site")) return 'Atlassian site';
  return f.what;
}

/** The destination of a flow on the map: its region, the customer's Atlassian site, or "unknown region". */
export function flowDestination(f: OutboundFlow): string {
  if (f.destinationRegion) return f.destinationRegion;
  return flowKind(f) === 'Atlassian site' ? ATLASSIAN_SITE : UNKNOWN;
}

/**
 * Draws the residency map at build time: each region as a box placed by its approximate
 * position (west to east, north to south), its stacks inside with their stores and keys,
 * the global services in a band on top, and one numbered arrow per source region and destination.
 */
export function residencyMap(r: TrustReport): ResidencyMap {
  const regionOf = (stack: string): string | undefined => r.stacks.find((s) => s.stack === stack)?.region;
  const placed = r.stacks.filter((s) => regionPosition(s.region) && s.kind !== 'unassigned');
  const unplaced = r.stacks.filter((s) => !placed.includes(s));
  const nodes: Node[] = [];
  for (const region of [...new Set(placed.map((s) => s.region!))]) {
    const p = regionPosition(region)!;
    const stacks = placed.filter((s) => s.region === region).sort((a, b) => Number(a.kind === 'edge') - Number(b.kind === 'edge'));
    nodes.push(node(region, `${region} · ${p.city}`, stacks, p, 'region'));
  }
  const arrows = arrowsOf(r.outboundFlows, (f) => regionOf(f.stack) ?? UNKNOWN);
  for (const to of [...new Set(arrows.map((a) => a.to))].filter((t) => !nodes.some((n) => n.id === t))) {
    const p = regionPosition(to);
    nodes.push(node(to, p ? `${to} · ${p.city}` : to, [], p, 'destination'));
  }
  if (unplaced.length) nodes.push(node('unplaced', 'Cannot be placed: no known region or no realm', unplaced, undefined, 'unplaced'));
  const { width, height } = layout(nodes);
  const body = [
    globalBand(r, width),
    // Arrows under the boxes, their labels over them, so a line never hides a store and no box hides a label.
    ...arrows.map((a) => arrowSvg(a, nodes.find((n) => n.id === a.from), nodes.find((n) => n.id === a.to), r.outboundFlows)),
    ...nodes.map(nodeSvg),
    ...arrows.map((a) => `<use href="#flow-label-${a.number}"/>`),
  ];
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" id="residency-map" role="img" viewBox="0 0 ${width} ${height}" width="100%" font-family="system-ui, sans-serif" font-size="11">` +
    `<title>Residency map: where each realm's data rests and what leaves a region</title>` +
    `<defs><marker id="arrow-head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="context-stroke"/></marker></defs>` +
    `${body.join('')}</svg>`;
  return { svg, arrows, unplaced: unplaced.map((s) => s.stack) };
}

function node(id: string, title: string, stacks: readonly StackEntry[], p: { lon: number; lat: number } | undefined, kind: Node['kind']): Node {
  const want = p ? { x: ((p.lon + 180) / 360) * WORLD_W, y: TOP + 12 + (75 - p.lat) * 3 } : { x: 0, y: Number.MAX_SAFE_INTEGER / 4 };
  const h = LINE + PAD * 2 + stacks.reduce((sum, s) => sum + stackHeight(s) + PAD, 0);
  return { id, title, stacks, want, h, kind, x: 0, y: 0 };
}

// West to east; a box that would overlap one already placed moves right of it, so the order stays readable.
function layout(nodes: Node[]): { width: number; height: number } {
  const w = BOX_W + PAD * 2;
  const placed: Node[] = [];
  const bottomRow = nodes.filter((n) => n.want.y > 1e6);
  for (const n of nodes.filter((x) => !bottomRow.includes(x)).sort((a, b) => a.want.x - b.want.x)) {
    n.x = Math.max(GAP, n.want.x - w / 2);
    n.y = n.want.y;
    for (let moved = true; moved; ) {
      moved = false;
      for (const o of placed) {
        if (n.x < o.x + w + LANE && o.x < n.x + w + LANE && n.y < o.y + o.h + GAP && o.y < n.y + n.h + GAP) {
          n.x = o.x + w + LANE;
          moved = true;
        }
      }
    }
    placed.push(n);
  }
  const floor = Math.max(TOP, ...placed.map((n) => n.y + n.h)) + GAP * 2;
  bottomRow.forEach((n, i) => {
    n.x = GAP + i * (w + GAP);
    n.y = floor;
  });
  const all = [...placed, ...bottomRow];
  return { width: Math.ceil(Math.max(...all.map((n) => n.x + w)) + GAP), height: Math.ceil(Math.max(...all.map((n) => n.y + n.h)) + GAP) };
}

function stackHeight(s: StackEntry): number {
  return LINE * (1 + keyLines(s).length + storeLines(s).length) + PAD;
}

// Keys are numbered per stack (K1, K2...) so each store line can name its key in a few characters.
function keyLines(s: StackEntry): Array<{ ref: string; text: string }> {
  return [...new Set(s.stores.map((st) => st.key.label))].map((label, i) => {
    const st = s.stores.find((x) => x.key.label === label)!;
    return { ref: `K${i + 1}`, text: st.key.aliases?.[0] && st.key.kind === 'customer-managed' ? `${st.key.aliases[0]} (customer managed)` : label };
  });
}

function storeLines(s: StackEntry): Array<{ text: string; flagged: boolean }> {
  const keys = keyLines(s);
  const refOf = (label: string): string => keys[[...new Set(s.stores.map((st) => st.key.label))].indexOf(label)]!.ref;
  const groups = new Map<string, { kind: string; ref: string; n: number; flagged: boolean }>();
  for (const st of s.stores) {
    const k = `${st.kind}\u0000${st.key.label}`;
    const g = groups.get(k) ?? { kind: st.kind, ref: refOf(st.key.label), n: 0, flagged: false };
    g.n++;
    g.flagged ||= st.flag !== undefined;
    groups.set(k, g);
  }
  return [...groups.values()].map((g) => ({ text: `${g.kind}${g.n > 1 ? ` ×${g.n}` : ''} · key ${g.ref}`, flagged: g.flagged }));
}

function arrowsOf(flows: readonly OutboundFlow[], sourceRegion: (f: OutboundFlow) => string): MapArrow[] {
  const byPair = new Map<string, { from: string; to: string; flows: number[] }>();
  flows.forEach((f, i) => {
    const from = sourceRegion(f);
    const to = flowDestination(f);
    const k = `${from}\u0000${to}`;
    const a = byPair.get(k) ?? { from, to, flows: [] };
    a.flows.push(i);
    byPair.set(k, a);
  });
  return [...byPair.values()].map((a, i) => {
    const counts = new Map<string, number>();
    for (const f of a.flows) counts.set(flowKind(flows[f]!), (counts.get(flowKind(flows[f]!)) ?? 0) + 1);
    const label = `${i + 1}: ${[...counts].map(([k, n]) => (n > 1 ? `${k} ×${n}` : k)).join(', ')}`;
    return { number: i + 1, ...a, label, flagged: a.flows.some((f) => flows[f]!.flag !== undefined) };
  });
}

function globalBand(r: TrustReport, width: number): string {
  const items = r.globalExceptions.map((e) => `${e.service} (${e.where.reduce((n, w) => n + w.resources.length, 0)})`).join(' · ');
  return (
    `<g class="global-band"><rect x="${GAP}" y="8" width="${width - GAP * 2}" height="${TOP - 16}" rx="6" fill="#f1f3f5" stroke="#868e96" stroke-dasharray="4 3"/>` +
    `<text x="${GAP + PAD}" y="28" font-weight="600">Global services: configuration and metadata only, no tenant data</text>` +
    `<text x="${GAP + PAD}" y="44">${escapeHtml(items || 'none')}</text></g>`
  );
}

function nodeSvg(n: Node): string {
  const w = BOX_W + PAD * 2;
  const red = n.kind === 'unplaced';
  const parts = [
    `<g class="region" data-region="${escapeHtml(n.id)}">`,
    `<rect x="${n.x}" y="${n.y}" width="${w}" height="${n.h}" rx="8" fill="${red ? '#fff5f5' : n.kind === 'destination' ? '#f8f9fa' : '#e7f5ff'}" stroke="${red ? '#c92a2a' : '#1c7ed6'}" stroke-width="1.5"${n.kind === 'destination' ? ' stroke-dasharray="5 3"' : ''}/>`,
    text(n.x + PAD, n.y + PAD + 10, n.title, { weight: 600, fill: red ? '#c92a2a' : '#1864ab' }),
  ];
  let y = n.y + PAD + LINE + 4;
  for (const s of n.stacks) {
    const h = stackHeight(s);
    const edge = s.kind === 'edge';
    const realms = s.realms.join(' + ');
    parts.push(
      `<g class="${edge ? 'edge-box' : 'realm-box'}" data-stack="${escapeHtml(s.stack)}"${realms ? ` data-realm="${escapeHtml(realms)}"` : ''}>`,
      `<rect x="${n.x + PAD}" y="${y}" width="${BOX_W}" height="${h}" rx="5" fill="#fff" stroke="${red ? '#c92a2a' : edge ? '#868e96' : '#339af0'}"${edge ? ' stroke-dasharray="4 3"' : ''}/>`,
      text(n.x + PAD * 2, y + LINE, edge ? `Edge (metadata) · ${s.stack}` : `${realms || 'no realm'} · ${s.stack}`, { weight: 600, cls: 'realm-label' }),
    );
    let line = y + LINE * 2;
    for (const k of keyLines(s)) {
      parts.push(text(n.x + PAD * 2, line, `${k.ref} = ${k.text}`, { fill: '#495057' }));
      line += LINE;
    }
    for (const st of storeLines(s)) {
      parts.push(text(n.x + PAD * 2, line, `${st.flagged ? '⚠ ' : ''}${st.text}`, { fill: st.flagged ? '#c92a2a' : '#212529', cls: 'store' }));
      line += LINE;
    }
    parts.push('</g>');
    y += h + PAD;
  }
  parts.push('</g>');
  return parts.join('');
}

function arrowSvg(a: MapArrow, from: Node | undefined, to: Node | undefined, flows: readonly OutboundFlow[]): string {
  if (!from || !to) return '';
  const w = BOX_W + PAD * 2;
  const c1 = { x: from.x + w / 2, y: from.y + from.h / 2 };
  const c2 = { x: to.x + w / 2, y: to.y + to.h / 2 };
  const s = edgePoint(c1, c2, w, from.h);
  const e = edgePoint(c2, c1, w, to.h);
  const dx = e.x - s.x;
  const dy = e.y - s.y;
  const len = Math.hypot(dx, dy) || 1;
  // Bend every arrow to its left, so the two directions between a pair of regions do not overlap.
  const bend = Math.min(60, len / 4);
  const c = { x: (s.x + e.x) / 2 - (dy / len) * bend, y: (s.y + e.y) / 2 + (dx / len) * bend };
  const mid = { x: 0.25 * s.x + 0.5 * c.x + 0.25 * e.x, y: 0.25 * s.y + 0.5 * c.y + 0.25 * e.y };
  const colour = a.flagged ? '#c92a2a' : '#e8590c';
  const labelW = a.label.length * 5.6 + 12;
  const full = a.flows.map((i) => `${flows[i]!.stack}: ${flows[i]!.what}`).join('\n');
  return (
    `<g class="flow" data-flow="${a.number}" data-from="${escapeHtml(a.from)}" data-to="${escapeHtml(a.to)}" data-flows="${a.flows.join(' ')}">` +
    `<title>${escapeHtml(full)}</title>` +
    `<path d="M${r1(s.x)},${r1(s.y)} Q${r1(c.x)},${r1(c.y)} ${r1(e.x)},${r1(e.y)}" fill="none" stroke="${colour}" stroke-width="1.6" marker-end="url(#arrow-head)"${a.flagged ? '' : ' stroke-dasharray="6 3"'}/>` +
    `<g id="flow-label-${a.number}"><rect x="${r1(mid.x - labelW / 2)}" y="${r1(mid.y - 9)}" width="${r1(labelW)}" height="16" rx="8" fill="#fff" fill-opacity="0.92" stroke="${colour}"/>` +
    `<text class="flow-label" x="${r1(mid.x)}" y="${r1(mid.y + 3)}" text-anchor="middle" fill="${colour}">${escapeHtml(a.label)}</text></g></g>`
  );
}

// Where the line from a box's centre towards another point leaves the box.
function edgePoint(c: { x: number; y: number }, towards: { x: number; y: number }, w: number, h: number): { x: number; y: number } {
  const dx = towards.x - c.x;
  const dy = towards.y - c.y;
  const t = Math.min(dx ? w / 2 / Math.abs(dx) : Infinity, dy ? h / 2 / Math.abs(dy) : Infinity, 1);
  return { x: c.x + dx * t, y: c.y + dy * t };
}

function text(x: number, y: number, content: string, o: { weight?: number; fill?: string; cls?: string } = {}): string {
  const shown = content.length > 46 ? `${content.slice(0, 45)}…` : content;
  const title = shown === content ? '' : `<title>${escapeHtml(content)}</title>`;
  return `<text x="${r1(x)}" y="${r1(y)}"${o.weight ? ` font-weight="${o.weight}"` : ''}${o.fill ? ` fill="${o.fill}"` : ''}${o.cls ? ` class="${o.cls}"` : ''}>${title}${escapeHtml(shown)}</text>`;
}

function r1(n: number): number {
  return Math.round(n * 10) / 10;
}
