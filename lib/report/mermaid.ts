import { AssemblyStack } from './assembly';
import { GlobalException, OutboundFlow } from './flows';
import type { StackEntry } from './model';

/** What the diagram is drawn from. */
export interface DiagramFacts {
  /** Each stack with its template. */
  readonly stacks: ReadonlyArray<{ readonly source: AssemblyStack; readonly entry: StackEntry }>;
  /** The global exceptions. */
  readonly exceptions: readonly GlobalException[];
  /** Data leaving a region. */
  readonly flows: readonly OutboundFlow[];
}

/**
 * A Mermaid flowchart of the realms and the data flows: requests from the Atlassian
 * product (through the global edge when there is one) to each realm's API, its functions
 * and stores, all inside one region subgraph; global metadata in its own subgraph;
 * anything that leaves a region as a dashed edge out of it.
 */
export function mermaidDiagram(facts: DiagramFacts): string {
  const out = ['flowchart LR', '  product(["Atlassian product<br/>tenant site"])'];
  const edge = facts.stacks.find((s) => s.entry.kind === 'edge' || has(s.source, 'AWS::CloudFront::Distribution'));
  out.push('  subgraph global["Global services: configuration only, no tenant data"]');
  for (const e of facts.exceptions) {
    const count = e.where.reduce((n, w) => n + w.resources.length, 0);
    const shape = e.service === 'Hashed tenant directory' ? ['[(', ')]'] : ['[', ']'];
    out.push(`    ${nodeId('g', e.service)}${shape[0]}"${label(`${e.service}: ${count}`)}"${shape[1]}`);
  }
  out.push('  end');
  const entry = edge ? nodeId('g', 'CloudFront configuration') : 'product';
  if (edge) out.push(`  product -->|"HTTPS"| ${entry}`);
  if (edge && facts.exceptions.some((e) => e.service === 'Hashed tenant directory')) out.push(`  ${entry} -.->|"looks up realm"| ${nodeId('g', 'Hashed tenant directory')}`);
  for (const { source, entry: s } of facts.stacks.filter((x) => x.entry.kind !== 'edge')) {
    const id = (part: string): string => nodeId(s.stack, part);
    out.push(`  subgraph ${nodeId('s', s.stack)}["${label(`${s.realms.join(' + ') || 'no realm'}: ${s.region ?? 'no region'} (${s.stack})`)}"]`);
    const api = has(source, 'AWS::ApiGateway::RestApi');
    const fns = Object.values(source.resources).filter((r) => r.Type === 'AWS::Lambda::Function').length;
    const data = s.stores.filter((st) => !['CloudWatch log group', 'Backup vault'].includes(st.kind));
    const logs = s.stores.filter((st) => st.kind === 'CloudWatch log group').length;
    const vaults = s.stores.filter((st) => st.kind === 'Backup vault').length;
    const keys = [...new Set(s.keys.flatMap((k) => (k.aliases.length ? k.aliases : [k.logicalId])))];
    if (api) out.push(`    ${id('api')}["${label(has(source, 'AWS::WAFv2::WebACL') ? 'API Gateway + WAF' : 'API Gateway')}"]`);
    if (fns) out.push(`    ${id('fn')}["${label(`Lambda functions: ${fns}`)}"]`);
    if (data.length) out.push(`    ${id('data')}[("${label(`${[...new Set(data.map((d) => d.kind))].join(', ')}<br/>key: ${keys.join(', ') || 'none'}`)}")]`);
    if (logs) out.push(`    ${id('logs')}[("${label(`CloudWatch log groups: ${logs}`)}")]`);
    if (vaults) out.push(`    ${id('backup')}[("${label(`Backup vaults: ${vaults}`)}")]`);
    if (api && fns) out.push(`    ${id('api')} --> ${id('fn')}`);
    if (fns && data.length) out.push(`    ${id('fn')} --> ${id('data')}`);
    if (fns && logs) out.push(`    ${id('fn')} -.-> ${id('logs')}`);
    if (data.length && vaults) out.push(`    ${id('data')} -.->|"daily backup"| ${id('backup')}`);
    out.push('  end');
    if (api) out.push(`  ${entry} -->|"${edge ? 'routed by realm' : 'HTTPS, regional base URL'}"| ${id('api')}`);
    for (const [i, f] of facts.flows.filter((fl) => fl.stack === s.stack).entries()) {
      const target = nodeId(s.stack, `out${i}`);
      out.push(`  ${target}{{"${label(`${f.destinationRegion ?? 'unknown region'}${f.flag ? ' (flagged)' : ''}`)}"}}`);
      out.push(`  ${data.length ? id('data') : nodeId('s', s.stack)} -.->|"${label(f.what)}"| ${target}`);
    }
  }
  return out.join('\n');
}

function has(stack: AssemblyStack, type: string): boolean {
  return Object.values(stack.resources).some((r) => r.Type === type);
}

function nodeId(prefix: string, name: string): string {
  return `${prefix}_${name}`.replace(/[^A-Za-z0-9_]/g, '_');
}

// Mermaid labels are quoted: keep quotes and angle brackets (other than <br/>) out of them.
function label(text: string): string {
  return text.replace(/"/g, '#quot;').replace(/<(?!br\/>)/g, '#lt;');
}
