import { Aspects, CfnResource, IAspect, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { MIN_REASON_LENGTH, acknowledge } from '../../constructs/acknowledge';
import { REALM_NAMES, RealmName, isRealmName, jurisdictionOf } from '../config/realms';
import { isStatefulType } from './stateful-types';

/** Stack tag {@link tagRealm} writes: the realms whose data the stack holds, joined by `+` (`EU+DE`). */
export const REALM_TAG_KEY = 'cdk-residency:realm';

/** Stack tag {@link tagMetadataOnly} writes (`true`): the stack declares it holds no realm's data. */
export const METADATA_ONLY_TAG_KEY = 'cdk-residency:metadata-only';

/** The DataResidency rule a metadata-only stack's stateful resources are acknowledged under. */
export const REALMLESS_RULE_ID = 'DataResidency::DataResidency-StatefulResourceHasRealm';

/**
 * Records that `stack` holds data of `realm`, as the stack tag {@link REALM_TAG_KEY}: the
 * DataResidency pack reads it to know the stack's jurisdiction, and the trust report to
 * place the stack. Call it once per realm for a stack shared by several realms (EU and DE
 * in eu-central-1): their jurisdiction is then the intersection.
 * @throws Error naming the stack when `realm` is not one of Atlassian's realm names, or the
 *   stack was declared metadata-only
 */
export function tagRealm(stack: Stack, realm: string): void {
  if (!Stack.isStack(stack)) throw new Error(`tagRealm: found ${describe(stack)}; expected a Stack`);
  if (!isRealmName(realm)) {
    throw new Error(`tagRealm: found realm "${realm}" for stack ${stack.node.path}; expected one of ${REALM_NAMES.join(', ')}`);
  }
  if (isMetadataOnly(stack)) {
    throw new Error(`tagRealm: found stack ${stack.node.path} declared metadata-only; expected a stack that holds realm data to have a realm and no metadata-only declaration`);
  }
  const realms = realmsOfStack(stack);
  if (!realms.includes(realm)) stack.tags.setTag(REALM_TAG_KEY, [...realms, realm].join('+'));
}

/**
 * Declares that `stack` holds no realm's data, only metadata that must be global (CloudFront
 * configuration, a hashed tenant directory, edge logs of request metadata), and why. It sets
 * the stack tag {@link METADATA_ONLY_TAG_KEY} and acknowledges `DataResidency-StatefulResourceHasRealm`
 * on each of the stack's stateful resources with `reason`, so every one is listed with the
 * reason under `suppressedViolations` in `validation-report.json`. The other DataResidency
 * rules have no jurisdiction to check in such a stack.
 * @throws Error when the reason is shorter than {@link MIN_REASON_LENGTH} or the stack has a realm
 */
export function tagMetadataOnly(stack: Stack, reason: string): void {
  if (!Stack.isStack(stack)) throw new Error(`tagMetadataOnly: found ${describe(stack)}; expected a Stack`);
  if (reason.trim().length < MIN_REASON_LENGTH) {
    throw new Error(`tagMetadataOnly: found a reason of ${reason.trim().length} characters for stack ${stack.node.path}; expected at least ${MIN_REASON_LENGTH} saying why it holds no realm data`);
  }
  const realms = realmsOfStack(stack);
  if (realms.length > 0) {
    throw new Error(`tagMetadataOnly: found stack ${stack.node.path} tagged with realm ${realms.join('+')}; expected a stack without realm data`);
  }
  if (isMetadataOnly(stack)) return;
  stack.tags.setTag(METADATA_ONLY_TAG_KEY, 'true');
  Aspects.of(stack).add(new AcknowledgeRealmless(stack, reason));
}

/** The realms recorded on `stack` (or on the stack that nests it) by {@link tagRealm}, in order. */
export function realmsOfStack(stack: Stack): RealmName[] {
  const value = recordedTag(stack, REALM_TAG_KEY);
  return value === undefined ? [] : value.split('+').filter(isRealmName);
}

/** True when `stack` (or the stack that nests it) was declared metadata-only by {@link tagMetadataOnly}. */
export function isMetadataOnly(stack: Stack): boolean {
  return recordedTag(stack, METADATA_ONLY_TAG_KEY) === 'true';
}

/**
 * The regions where data of every one of `realms` may rest: the intersection of their
 * jurisdictions; `undefined` when `realms` is empty (nothing to check against).
 */
export function jurisdictionOfRealms(realms: readonly RealmName[]): ReadonlySet<string> | undefined {
  if (realms.length === 0) return undefined;
  const [first, ...rest] = realms.map((r) => jurisdictionOf(r));
  return new Set(first!.filter((region) => rest.every((j) => j.includes(region))));
}

function recordedTag(stack: Stack, key: string): string | undefined {
  for (let s: Stack | undefined = stack; s; s = s.nestedStackParent) {
    const value = s.tags.tagValues()[key];
    if (value !== undefined) return value;
  }
  return undefined;
}

function describe(x: unknown): string {
  return (x as IConstruct)?.node?.path !== undefined ? `construct ${(x as IConstruct).node.path}` : String(x);
}

// Acknowledges the realm rule on each stateful resource of one stack, once, at synthesis
// (when the stack is complete), so each is recorded with the reason on its own path.
class AcknowledgeRealmless implements IAspect {
  private readonly done = new WeakSet<CfnResource>();
  constructor(
    private readonly stack: Stack,
    private readonly reason: string,
  ) {}

  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node) || this.done.has(node) || !isStatefulType(node.cfnResourceType)) return;
    if (Stack.of(node) !== this.stack && !isNestedIn(Stack.of(node), this.stack)) return;
    this.done.add(node);
    acknowledge(node, this.reason, REALMLESS_RULE_ID);
  }
}

function isNestedIn(stack: Stack, ancestor: Stack): boolean {
  for (let s = stack.nestedStackParent; s; s = s.nestedStackParent) if (s === ancestor) return true;
  return false;
}
