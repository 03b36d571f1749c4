import { ENV } from '../../runtime/lambda/environment';
import { AssemblyStack, TemplateResource } from './assembly';
import { at, list, num, referencedIds, str } from './json';
import type { StackEntry } from './model';

/** The kinds of data the app keeps, as the toolkit records them. */
export type DataKind = 'Tenant record' | 'Shared secret' | 'App items' | 'Objects' | 'Logs' | 'App secrets' | 'Backups' | 'Directory entries' | 'Edge logs';

/** Where one kind of data rests: a stack, its region and the resources that hold it. */
export interface DataLocation {
  /** The stack. */
  readonly stack: string;
  /** Its region. */
  readonly region?: string;
  /** The realms whose data it holds (empty for the global edge). */
  readonly realms: readonly string[];
  /** The resources (physical names where the template fixes them, else logical ids). */
  readonly resources: readonly string[];
}

/** One entry of the data inventory: a kind of data, whether residency covers it, where it rests and how it goes away. */
export interface DataInventoryEntry {
  /** The kind of data. */
  readonly data: DataKind;
  /** What it is. */
  readonly what: string;
  /** Whether it stays in the tenant's realm (in scope for data residency); false for global metadata. */
  readonly inResidencyScope: boolean;
  /** Every place it rests. */
  readonly restsIn: readonly DataLocation[];
  /** How long it is kept, as the templates set it. */
  readonly retention: string;
  /** How it is deleted. */
  readonly deletion: string;
  /** What in the assembly the entry is read from. */
  readonly evidence: string;
}

type Stacks = ReadonlyArray<{ readonly source: AssemblyStack; readonly entry: StackEntry }>;
type Found = { readonly stack: StackEntry; readonly id: string; readonly resource: TemplateResource };

/**
 * The data inventory: each kind of data the app keeps, read from the templates (tables, buckets,
 * log groups, vaults, the directory store) and the functions' settings; a kind the assembly
 * does not hold is left out.
 */
export function dataInventory(stacks: Stacks): DataInventoryEntry[] {
  const realm = stacks.filter((s) => s.entry.kind === 'realm');
  const edge = stacks.filter((s) => s.entry.kind === 'edge');
  const find = (of: Stacks, match: (r: TemplateResource, id: string, s: AssemblyStack) => boolean): Found[] =>
    of.flatMap((s) => Object.entries(s.source.resources).filter(([id, r]) => match(r, id, s.source)).map(([id, resource]) => ({ stack: s.entry, id, resource })));
  const tables = find(realm, (r, id, s) => r.Type === 'AWS::DynamoDB::Table' && functionsName(s, id, ENV.tableName));
  const buckets = find(realm, (r, id, s) => r.Type === 'AWS::S3::Bucket' && backedUp(s, id));
  const logs = find(realm, (r) => r.Type === 'AWS::Logs::LogGroup');
  const secrets = find(realm, (r) => r.Type === 'AWS::SecretsManager::Secret');
  const plans = find(realm, (r) => r.Type === 'AWS::Backup::BackupPlan');
  const vaults = find(realm, (r) => r.Type === 'AWS::Backup::BackupVault');
  const directory = find(edge, (r) => r.Type === 'AWS::CloudFront::KeyValueStore');
  const edgeLogs = find(edge, (r) => ['AWS::S3::Bucket', 'AWS::Logs::LogGroup'].includes(r.Type));
  const shred = shredDays(realm);
  const ttl = [...new Set(tables.map((t) => str(at(t.resource.Properties, 'TimeToLiveSpecification', 'AttributeName'))))].filter(Boolean);
  const pitr = tables.some((t) => at(t.resource.Properties, 'PointInTimeRecoverySpecification', 'PointInTimeRecoveryEnabled') === true);
  const tenantRetention = `while the app is installed; after uninstall ${shred ?? 'an unset number of'} days, then deleted`;
  const tenantDeletion = ttl.length
    ? `DynamoDB TTL (attribute ${ttl.join(', ')}) deletes the tenant's wrapped data key after the grace period, which crypto-shreds every item sealed with it; the TTL then deletes the items`
    : 'no TTL on the table: nothing deletes it after uninstall';
  const entries: Array<DataInventoryEntry | undefined> = [
    tables.length ? { data: 'Tenant record', what: "the installation: clientKey, base URL, the tenant's wrapped data key, install state", inResidencyScope: true, restsIn: where(tables), retention: tenantRetention, deletion: tenantDeletion, evidence: `the table the functions name in ${ENV.tableName}; ${ENV.shredAfterDays}; its TimeToLiveSpecification` } : undefined,
    tables.length ? { data: 'Shared secret', what: "the tenant's Connect shared secret, envelope-encrypted with the tenant's data key (tenant id in the encryption context)", inResidencyScope: true, restsIn: where(tables), retention: tenantRetention, deletion: 'unreadable as soon as the data key is deleted (crypto-shred), then deleted with the tenant record', evidence: `the table the functions name in ${ENV.tableName}, the realm key in ${ENV.keyArn}` } : undefined,
    tables.length ? { data: 'App items', what: "what the app keeps with tenant.data: items in the tenant's partition, sealed with its data key", inResidencyScope: true, restsIn: where(tables), retention: tenantRetention, deletion: 'crypto-shredded with the data key on uninstall after the grace period; moved, then deleted at the source, by a data residency migration', evidence: `the table the functions name in ${ENV.tableName}` } : undefined,
    buckets.length ? { data: 'Objects', what: "what the app keeps with tenant.objects: objects under the tenant's prefix, SSE-KMS with the realm key", inResidencyScope: true, restsIn: where(buckets), retention: `until the app deletes them; ${lifecycle(buckets)}`, deletion: "deleted, every version and delete marker, by the realm's scheduled sweep once the uninstall grace period is over (and before a reinstall after it), or by the app (tenant.objects.delete), or after a migration at the source; not crypto-shredded: SSE-KMS with the realm key, whose encryption context cannot name the tenant; backups keep copies until they expire", evidence: 'the realm stacks\' buckets in a BackupSelection (the data bucket, not the access log bucket); its LifecycleConfiguration' } : undefined,
    logs.length ? { data: 'Logs', what: 'API access, execution and firewall logs, function logs, VPC flow logs: tenant ids and request metadata', inResidencyScope: true, restsIn: where(logs), retention: daysText(logs.map((l) => num(l.resource.Properties?.RetentionInDays))), deletion: 'CloudWatch Logs expires events after the retention period', evidence: 'the realm stacks\' AWS::Logs::LogGroup resources and their RetentionInDays' } : undefined,
    secrets.length ? { data: 'App secrets', what: "the vendor's own secrets (tokens for third-party APIs), not tenant data", inResidencyScope: true, restsIn: where(secrets), retention: 'until the vendor deletes them or the stack', deletion: 'Secrets Manager deletes a secret after its recovery window', evidence: 'the realm stacks\' AWS::SecretsManager::Secret resources' } : undefined,
    vaults.length ? { data: 'Backups', what: 'daily AWS Backup recovery points of the tenant table and the data bucket' + (pitr ? ', and the table\'s point-in-time recovery log' : ''), inResidencyScope: true, restsIn: where(vaults), retention: `${daysText(plans.flatMap((p) => list(at(p.resource.Properties, 'BackupPlan', 'BackupPlanRule')).map((r) => num(at(r, 'Lifecycle', 'DeleteAfterDays')))))}${pitr ? '; point-in-time recovery 35 days' : ''}`, deletion: 'recovery points expire after the plan\'s lifecycle; until then they hold the wrapped data key, after that nothing can decrypt a shredded tenant', evidence: 'the realm stacks\' AWS::Backup::BackupVault and BackupPlan (Lifecycle.DeleteAfterDays)' } : undefined,
    directory.length ? { data: 'Directory entries', what: 'keyed hash of each tenant id mapped to its realm name, read by the edge router', inResidencyScope: false, restsIn: where(directory), retention: 'while the app is installed', deletion: "removed by the directory writer on uninstall and replaced on migration; a keyed hash cannot be turned back into the tenant id", evidence: 'the edge stack\'s AWS::CloudFront::KeyValueStore (a listed global exception)' } : undefined,
    edgeLogs.length ? { data: 'Edge logs', what: 'request metadata of the global edge (access and firewall logs): no tenant content', inResidencyScope: false, restsIn: where(edgeLogs), retention: edgeRetention(edgeLogs), deletion: 'expired by the bucket lifecycle or the log group retention', evidence: 'the edge stacks\' buckets and log groups (a listed global exception)' } : undefined,
  ];
  return entries.filter((e): e is DataInventoryEntry => e !== undefined);
}

// The stores the functions name in a setting are the toolkit's own (not a vendor's extra table).
function functionsName(stack: AssemblyStack, logicalId: string, variable: string): boolean {
  return Object.values(stack.resources).some((r) => r.Type === 'AWS::Lambda::Function' && referencedIds(at(r.Properties, 'Environment', 'Variables', variable)).includes(logicalId));
}

// The data bucket is the bucket the backup plan selects (the access log bucket is not backed up).
function backedUp(stack: AssemblyStack, logicalId: string): boolean {
  return Object.values(stack.resources).some((r) => r.Type === 'AWS::Backup::BackupSelection' && referencedIds(at(r.Properties, 'BackupSelection', 'Resources')).includes(logicalId));
}

function shredDays(stacks: Stacks): string | undefined {
  const values = stacks.flatMap((s) => Object.values(s.source.resources).map((r) => str(at(r.Properties, 'Environment', 'Variables', ENV.shredAfterDays))));
  const known = [...new Set(values.filter((v): v is string => v !== undefined))];
  return known.length ? known.join(' or ') : undefined;
}

function where(found: readonly Found[]): DataLocation[] {
  const byStack = new Map<string, DataLocation & { resources: string[] }>();
  for (const f of found) {
    const loc = byStack.get(f.stack.stack) ?? { stack: f.stack.stack, ...(f.stack.region ? { region: f.stack.region } : {}), realms: f.stack.realms, resources: [] };
    const name = f.stack.stores.find((s) => s.logicalId === f.id)?.name;
    loc.resources.push(name ?? f.id);
    byStack.set(f.stack.stack, loc);
  }
  return [...byStack.values()];
}

function lifecycle(buckets: readonly Found[]): string {
  const noncurrent = buckets.flatMap((b) => list(at(b.resource.Properties, 'LifecycleConfiguration', 'Rules')).map((r) => num(at(r, 'NoncurrentVersionExpiration', 'NoncurrentDays'))));
  return noncurrent.some((d) => d !== undefined) ? `overwritten and deleted versions expire after ${daysText(noncurrent)}` : 'no lifecycle rule expires old versions';
}

function edgeRetention(found: readonly Found[]): string {
  return daysText(found.map((f) => num(f.resource.Properties?.RetentionInDays) ?? num(at(list(at(f.resource.Properties, 'LifecycleConfiguration', 'Rules'))[0], 'ExpirationInDays'))));
}

function daysText(values: ReadonlyArray<number | undefined>): string {
  const known = [...new Set(values.filter((v): v is number => v !== undefined))].sort((a, b) => a - b);
  if (known.length === 0) return 'no retention set';
  return `${known.join(' or ')} days${values.some((v) => v === undefined) ? ' (some without a set retention)' : ''}`;
}
