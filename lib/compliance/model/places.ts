import { CfnParameter, CfnResource, Stack } from 'aws-cdk-lib';
import { COMMERCIAL_REGIONS } from '../../config/realms';
import { GLOBAL_TYPE_PREFIXES, isStatefulType } from '../stateful-types';
import { AppModel, Part } from './app-model';
import { flatten, partsIn, printable } from './flatten';

/** Where something a value names rests, as far as the app proves it. */
export type Whereabouts =
  | { readonly kind: 'regional'; readonly what: string; readonly regions: readonly string[]; readonly pattern?: string }
  | { readonly kind: 'global'; readonly what: string }
  | { readonly kind: 'unknown'; readonly what: string; readonly why: string };

/** The resource a rule looks at, and the model it reads the rest of the app from. */
export interface View {
  readonly node: CfnResource;
  readonly stack: Stack;
  readonly model: AppModel;
}

// ARN: partition, service, region, account, resource (to the next blank, quote or comma).
const ARN = /arn:([^:\s"',]*):([^:\s"',]*):([^:\s"',]*):([^:\s"',]*):([^\s"',]*)/g;
// A regional AWS endpoint host: <name>.<region>.<service>.amazonaws.com.
const AWS_HOST = /\.([a-z]{2}(?:-[a-z]+)+-\d)\.[a-z0-9.-]*amazonaws\.com\b/;
const GLOBAL_SERVICES = new Set(['iam', 'sts', 'route53', 'cloudfront', 'organizations', 'waf', 'shield']);

/**
 * Where the one resource `value` identifies rests (a destination: a bucket ARN, a vault
 * ARN, a stream, a reference to a construct). Anything the app cannot prove, such as an
 * imported ARN without a region, a bucket outside the app or a parameter, is `unknown`.
 */
export function whereIs(value: unknown, view: View): Whereabouts {
  const text = flatten(value, view.stack, view.model);
  const what = printable(text, view.model);
  if (text.startsWith('arn:')) {
    const [arn] = arnsIn(text);
    return arn && arn.at === 0 ? arnWhereabouts(arn.fields, what, view) : { kind: 'unknown', what, why: 'not an ARN' };
  }
  // A reference, possibly inside a URL built around it (a JDBC URL, an endpoint), stands for its target.
  const parts = partsIn(text, view.model);
  if (parts.length === 1 && parts[0]!.part.kind !== 'pseudo') return partWhereabouts(parts[0]!.part, what, view);
  const host = parts.length === 0 ? AWS_HOST.exec(text) : null;
  if (host) return { kind: 'regional', what, regions: [host[1]!] };
  return { kind: 'unknown', what, why: text === '' ? 'no value' : 'neither an ARN, a reference nor an AWS endpoint' };
}

/**
 * Every data store `value` names: ARNs anywhere in it, references to stateful resources,
 * imports and values that cannot be evaluated; with `names`, also a whole value equal to
 * the name of a bucket or table defined in the app.
 */
export function storesNamedIn(value: unknown, view: View, names: boolean): Whereabouts[] {
  const text = flatten(value, view.stack, view.model);
  const found: Whereabouts[] = [];
  const covered: Array<[number, number]> = [];
  for (const arn of arnsIn(text)) {
    covered.push([arn.at, arn.at + arn.text.length]);
    const w = arnWhereabouts(arn.fields, printable(arn.text, view.model), view);
    if (w.kind !== 'global') found.push(w);
  }
  for (const { part, at, length } of partsIn(text, view.model)) {
    if (covered.some(([from, to]) => at >= from && at < to)) continue;
    if (part.kind === 'ref' && !(CfnResource.isCfnResource(part.target) && isStatefulType(part.target.cfnResourceType)) && !(part.target instanceof CfnParameter)) continue;
    if (part.kind === 'local' || part.kind === 'pseudo') continue;
    const w = partWhereabouts(part, printable(text.slice(at, at + length), view.model), view);
    if (w.kind !== 'global') found.push(w);
  }
  if (names && found.length === 0 && text !== '' && !text.includes('⟦')) {
    const stacks = [...view.model.stacksWithBucket(text), ...view.model.stacksWithTable(text)].filter((s) => s !== view.stack);
    if (stacks.length > 0) found.push(stacksWhereabouts(stacks, text, view.model));
  }
  return found;
}

/**
 * The findings for `places` against the jurisdiction: one per place outside it or
 * unresolved, as `<label>::<what>::<region>` (region `unresolved` when it cannot be established,
 * the pattern for a wildcard region such as `*`).
 */
export function outside(places: readonly Whereabouts[], jurisdiction: ReadonlySet<string>, label: string): string[] {
  const findings = new Set<string>();
  for (const p of places) {
    if (p.kind === 'unknown') findings.add(`${label}::${p.what}::unresolved`);
    if (p.kind === 'regional') {
      const away = p.regions.filter((r) => !jurisdiction.has(r));
      // A wildcard region is one finding, named by its pattern.
      for (const r of p.pattern !== undefined && away.length > 0 ? [p.pattern] : away) findings.add(`${label}::${p.what}::${r}`);
    }
  }
  return [...findings];
}

function arnsIn(text: string): Array<{ at: number; text: string; fields: string[] }> {
  return [...text.matchAll(ARN)].map((m) => ({ at: m.index!, text: m[0], fields: m.slice(1) }));
}

function arnWhereabouts([, service, region, , resource]: string[], what: string, view: View): Whereabouts {
  if (GLOBAL_SERVICES.has(service!)) return { kind: 'global', what };
  if (region === '') {
    if (service !== 's3') return { kind: 'global', what };
    const bucket = resource!.split('/')[0]!;
    const parts = partsIn(bucket, view.model);
    if (parts.length === 1 && parts[0]!.at === 0 && parts[0]!.length === bucket.length) return partWhereabouts(parts[0]!.part, what, view);
    // A fixed name that holds the account id (one account for the app) is still one bucket of the app.
    const name = /[*?]/.test(bucket) ? undefined : view.model.canonicalName(bucket);
    if (name === undefined) return { kind: 'unknown', what, why: `bucket name ${bucket} is not a single bucket of this app` };
    const stacks = view.model.stacksWithBucket(name);
    return stacks.length > 0 ? stacksWhereabouts(stacks, what, view.model) : { kind: 'unknown', what, why: `no bucket named ${name} in this app` };
  }
  const parts = partsIn(region!, view.model);
  if (parts.length > 0) return { kind: 'unknown', what, why: 'region is not known before deployment' };
  if (/[*?]/.test(region!)) {
    const glob = new RegExp(`^${region!.replace(/[.+^$()|[\]\\{}]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
    return { kind: 'regional', what, regions: COMMERCIAL_REGIONS.filter((r) => glob.test(r)), pattern: region! };
  }
  return { kind: 'regional', what, regions: [region!] };
}

function partWhereabouts(part: Part, what: string, view: View): Whereabouts {
  switch (part.kind) {
    case 'ref': {
      if (part.target instanceof CfnParameter) return { kind: 'unknown', what, why: `parameter ${part.target.node.path} is set at deployment` };
      const target = part.target;
      if (CfnResource.isCfnResource(target) && GLOBAL_TYPE_PREFIXES.some((p) => target.cfnResourceType.startsWith(p))) return { kind: 'global', what };
      return stacksWhereabouts([Stack.of(part.target)], what, view.model);
    }
    case 'local': {
      const target = view.model.resourceInStack(part.stack, part.logicalId);
      if (target && GLOBAL_TYPE_PREFIXES.some((p) => target.cfnResourceType.startsWith(p))) return { kind: 'global', what };
      return stacksWhereabouts([part.stack], what, view.model);
    }
    case 'import': {
      const stack = view.model.stackExporting(part.name);
      return stack ? stacksWhereabouts([stack], what, view.model) : { kind: 'unknown', what, why: `no stack of this app exports ${part.name}` };
    }
    case 'pseudo':
      return { kind: 'global', what };
    case 'unknown':
      return { kind: 'unknown', what, why: `${part.what} is not known before deployment` };
  }
}

function stacksWhereabouts(stacks: readonly Stack[], what: string, model: AppModel): Whereabouts {
  const regions = new Set<string>();
  for (const s of stacks) {
    const region = model.stackFacts(s).region;
    if (region === undefined) return { kind: 'unknown', what, why: `stack ${s.node.path} has no region` };
    regions.add(region);
  }
  return { kind: 'regional', what, regions: [...regions] };
}
