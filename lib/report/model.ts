import { RealmName } from '../config/realms';
import { CostEstimate } from './costs';
import { Findings } from './findings';
import { GlobalException, OutboundFlow } from './flows';
import { DataInventoryEntry } from './inventory';
import { StackKey } from './keys';
import { PrivacyAnswer } from './privacy-answers';
import { RealmSource, StackKind } from './stack-realms';
import { Store } from './stores';

/** One realm the assembly hosts. */
export interface RealmEntry {
  /** Atlassian's name for the realm. */
  readonly realm: RealmName;
  /** Where Atlassian says the realm's data lives. */
  readonly atlassianLocation: string;
  /** The stack that holds the realm's data. */
  readonly stack: string;
  /** The stack's region (undefined for an environment-agnostic stack, which is flagged). */
  readonly region?: string;
  /** Where the stack's realm was read from; `description` is the fallback for stacks without a realm tag. */
  readonly realmSource: RealmSource;
  /** Whether the region lies in the realm's jurisdiction. */
  readonly inJurisdiction: boolean;
  /** Other realms kept in the same stack. */
  readonly sharesStackWith: readonly RealmName[];
}

/** One stack of the assembly and what it holds. */
export interface StackEntry {
  /** The CloudFormation stack name. */
  readonly stack: string;
  /** `realm`, `edge` (global, metadata only) or `unassigned`. */
  readonly kind: StackKind;
  /** The stack's region. */
  readonly region?: string;
  /** The realms whose data it holds. */
  readonly realms: readonly RealmName[];
  /** Where the realms were read from. */
  readonly realmSource: RealmSource;
  /** Every store with its key. */
  readonly stores: readonly Store[];
  /** The stack's customer managed keys. */
  readonly keys: readonly StackKey[];
  /** The stack's backup plans: schedule and how long recovery points are kept, one line each. */
  readonly backups: readonly string[];
}

/** Everything `npm run report` writes to `trust-report.json` (and renders as Markdown). */
export interface TrustReport {
  /** Format marker of this JSON. */
  readonly format: 'cdk-residency/trust-report@1';
  /** The Atlassian app key, read from the functions' environment where present. */
  readonly appKey?: string;
  /** When the report was made (ISO 8601). */
  readonly generatedAt: string;
  /** The assembly read: its directory name (never an absolute path) and schema version. */
  readonly assembly: { readonly name: string; readonly version: string };
  /** Every realm hosted, in Atlassian's catalog order. */
  readonly realms: readonly RealmEntry[];
  /** Every stack with its stores and keys. */
  readonly stacks: readonly StackEntry[];
  /** Whether a global edge stack (CloudFront) is in the assembly, and which. */
  readonly edge: { readonly present: boolean; readonly stacks: readonly string[] };
  /** What must be global, and why it holds no tenant data. */
  readonly globalExceptions: readonly GlobalException[];
  /** Data that leaves a stack's region (replicas, replication, copies, subscriptions). */
  readonly outboundFlows: readonly OutboundFlow[];
  /** Each kind of data the app keeps: residency scope, where it rests, retention, deletion. */
  readonly inventory: readonly DataInventoryEntry[];
  /** Compliance findings: acknowledged with reasons, and open. */
  readonly findings: Findings;
  /** The estimated cost, with its price table and assumptions. */
  readonly costs: CostEstimate;
  /** Answers for the Marketplace listing's Privacy & Security tab. */
  readonly privacy: readonly PrivacyAnswer[];
  /** The realms and data flows as a Mermaid flowchart. */
  readonly mermaid: string;
  /** Everything the report flags, one line each; empty when nothing is. */
  readonly flags: readonly string[];
}
