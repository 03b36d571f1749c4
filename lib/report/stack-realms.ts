import { RealmName, isRealmName } from '../config/realms';
import { METADATA_ONLY_TAG_KEY, REALM_TAG_KEY } from '../compliance/realm-tags';
import { EDGE_TAG_KEY } from '../stacks/global-edge-stack';
import { AssemblyStack } from './assembly';

/**
 * Stack tags that record a stack's realm(s), most specific first: the one `tagRealm` writes
 * (the DataResidency pack's record) and the `cdk-residency:realms` tag RealmStack has always
 * set. Values name one realm or several joined by `+` (a shared stack: `EU+DE`).
 */
export const REALM_TAG_KEYS: readonly string[] = [REALM_TAG_KEY, 'cdk-residency:realms'];

/** Where a stack's realms were read from: a realm tag, or (a fallback) the stack description RealmStack writes. */
export type RealmSource = 'tag' | 'description' | 'none';

/** What kind of stack this is, for the report. */
export type StackKind = 'realm' | 'edge' | 'unassigned';

/** A stack's realms and how they were established. */
export interface StackRealms {
  /** The realms whose data the stack holds, owner first. */
  readonly realms: readonly RealmName[];
  /** Where they were read from. */
  readonly source: RealmSource;
  /**
   * `realm`: holds realm data; `edge`: a global, metadata-only stack (declared with
   * `tagMetadataOnly`, tagged as part of the global edge, or holding CloudFront resources);
   * `unassigned`: neither, so its data cannot be placed.
   */
  readonly kind: StackKind;
  /** Names in a realm tag or description that are not Atlassian realms. */
  readonly unrecognised: readonly string[];
}

// RealmStack's description: "cdk-residency: <app>, data of realm EU and DE in eu-central-1".
const DESCRIPTION = /data of realm (.+?) in [a-z0-9-]+\s*$/;

/** The realms a stack records, from its realm tag, else from its description. */
export function readStackRealms(stack: AssemblyStack): StackRealms {
  const tagKey = REALM_TAG_KEYS.find((k) => stack.tags[k] !== undefined);
  if (tagKey !== undefined) return classify(stack, stack.tags[tagKey]!.split(/[+,\s]+/), 'tag');
  const described = DESCRIPTION.exec(stack.description ?? '')?.[1];
  if (described !== undefined) return classify(stack, described.split(/\s+and\s+|,\s*/), 'description');
  return classify(stack, [], 'none');
}

function classify(stack: AssemblyStack, names: string[], source: RealmSource): StackRealms {
  const cleaned = names.map((n) => n.trim()).filter(Boolean);
  const realms = cleaned.filter(isRealmName);
  const unrecognised = cleaned.filter((n) => !isRealmName(n));
  const isEdge =
    stack.tags[METADATA_ONLY_TAG_KEY] === 'true' || stack.tags[EDGE_TAG_KEY] !== undefined || Object.values(stack.resources).some((r) => r.Type.startsWith('AWS::CloudFront::'));
  const kind: StackKind = realms.length > 0 ? 'realm' : isEdge ? 'edge' : 'unassigned';
  return { realms, source: realms.length > 0 ? source : 'none', kind, unrecognised };
}
