import { RealmName, isInJurisdiction } from '../config/realms';
import { AssemblyStack } from './assembly';
import { Json, at, isTrue, list, referencedIds, regionOfArn, str } from './json';
import { isStoreType } from './stores';
import { ENV } from '../../runtime/lambda/environment';
import { isAtlassianApiHost } from '../../runtime/atlassian-api/egress-target';

/** One kind of global (non-regional) resource the app needs, which holds configuration, never tenant data. */
export interface GlobalException {
  /** The global service. */
  readonly service: 'Route 53' | 'IAM' | 'CloudFront configuration' | 'Hashed tenant directory' | 'Edge stores';
  /** What of the app lives there. */
  readonly what: string;
  /** Why it is global and why that is acceptable. */
  readonly why: string;
  /** The stacks that declare it, with the resources (names where the template fixes them, else logical ids). */
  readonly where: ReadonlyArray<{ readonly stack: string; readonly resources: readonly string[] }>;
}

/** Data that a resource sends to (or may place in) another region. */
export interface OutboundFlow {
  /** The stack that declares it. */
  readonly stack: string;
  /** Logical id of the resource. */
  readonly logicalId: string;
  /** What leaves: "DynamoDB global table replica", "S3 replication"... */
  readonly what: string;
  /** Where it goes, as the template says. */
  readonly destination: string;
  /** The destination region, when the template establishes it. */
  readonly destinationRegion?: string;
  /** Why the report flags it: outside the jurisdiction, or a destination it cannot place. */
  readonly flag?: string;
  /** What bounds a flow that is by design and not flagged (a customer-requested migration, the directory's hashed entry). */
  readonly note?: string;
}

// The managed CloudFront cache policy "CachingDisabled" (a fixed id in every account).
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';

interface ExceptionClass {
  readonly service: GlobalException['service'];
  readonly matches: (type: string, props: Record<string, Json>) => boolean;
  readonly label: (props: Record<string, Json>) => string | undefined;
  readonly what: string;
  readonly why: (stacks: readonly AssemblyStack[]) => string;
}

const EXCEPTIONS: readonly ExceptionClass[] = [
  {
    service: 'Route 53',
    matches: (t) => t.startsWith('AWS::Route53::'),
    label: (p) => str(p.Name),
    what: 'DNS records of the regional host names (and the global one)',
    why: () => 'Route 53 is a global service; records hold host names and alias targets, no tenant data.',
  },
  {
    service: 'IAM',
    matches: (t) => t.startsWith('AWS::IAM::'),
    label: () => undefined,
    what: 'roles and policies of the functions and services',
    why: () => 'IAM is a global service; roles and policies are access configuration, no tenant data.',
  },
  {
    service: 'CloudFront configuration',
    matches: (t, p) => (t.startsWith('AWS::CloudFront::') && t !== 'AWS::CloudFront::KeyValueStore') || (t === 'AWS::WAFv2::WebACL' && p.Scope === 'CLOUDFRONT'),
    label: () => undefined,
    what: 'the distribution on the global host, its router function, policies and CLOUDFRONT-scope firewall',
    why: (stacks) =>
      `CloudFront configuration is global; requests pass edge locations encrypted in transit (TLS) on their way to the tenant's realm; ${
        cachingDisabled(stacks) ? 'caching is disabled (managed CachingDisabled policy), so no response is stored at the edge' : 'check that no cache policy stores tenant responses at the edge'
      }.`,
  },
  {
    service: 'Hashed tenant directory',
    matches: (t) => t === 'AWS::CloudFront::KeyValueStore',
    label: (p) => str(p.Name),
    what: 'keyed hashes of tenant ids mapped to realm names, read by the edge router',
    why: () => 'The edge must route a request before it reaches a realm; it holds only keyed hashes and realm names, no tenant id in clear and no tenant data.',
  },
];

/**
 * The global exceptions the assembly declares, each with its stacks and resources; `edgeStacks`
 * names the stacks of the global edge, whose stores (other than the directory) are listed too.
 */
export function globalExceptions(stacks: readonly AssemblyStack[], edgeStacks: ReadonlySet<string> = new Set()): GlobalException[] {
  const edgeStores = stacks
    .filter((s) => edgeStacks.has(s.stackName))
    .map((s) => ({ stack: s.stackName, region: s.region, resources: Object.entries(s.resources).filter(([, r]) => isStoreType(r.Type) && r.Type !== 'AWS::CloudFront::KeyValueStore').map(([id]) => id) }))
    .filter((w) => w.resources.length > 0);
  const stores: GlobalException[] = edgeStores.length
    ? [
        {
          service: 'Edge stores',
          what: `what the edge stacks keep at rest, in ${[...new Set(edgeStores.map((w) => w.region ?? 'no region'))].join(', ')}`,
          why: 'The edge stacks declare themselves metadata only: they keep request metadata (edge access and firewall logs) and routing keys for all tenants in one place, never tenant content; review that nothing else is written there.',
          where: edgeStores.map(({ stack, resources }) => ({ stack, resources })),
        },
      ]
    : [];
  return [...EXCEPTIONS.map((c) => ({
    service: c.service,
    what: c.what,
    why: c.why(stacks),
    where: stacks
      .map((s) => ({
        stack: s.stackName,
        resources: Object.entries(s.resources)
          .filter(([, r]) => c.matches(r.Type, r.Properties ?? {}))
          .map(([id, r]) => c.label(r.Properties ?? {}) ?? id),
      }))
      .filter((w) => w.resources.length > 0),
  })).filter((e) => e.where.length > 0), ...stores];
}

/** Everything in a stack that replicates, copies or streams data to another region. */
export function outboundFlows(stack: AssemblyStack, realms: readonly RealmName[]): OutboundFlow[] {
  const flows: OutboundFlow[] = [];
  const add = (logicalId: string, what: string, destination: Json, region?: string): void => {
    const local = referencedIds(destination).some((id) => stack.resources[id] !== undefined);
    if (local) return; // a resource of the same stack: same region
    const text = str(destination) ?? JSON.stringify(destination);
    const destinationRegion = region ?? (str(destination) ? regionOfArn(str(destination)!) : undefined);
    if (destinationRegion !== undefined && destinationRegion === stack.region) return;
    flows.push({ stack: stack.stackName, logicalId, what, destination: text, ...(destinationRegion ? { destinationRegion } : {}), ...flagOf(destinationRegion, realms) });
  };
  for (const [id, r] of Object.entries(stack.resources)) {
    const p = r.Properties ?? {};
    if (r.Type === 'AWS::DynamoDB::GlobalTable') for (const rep of list(p.Replicas)) add(id, 'DynamoDB global table replica', str(at(rep, 'Region')), str(at(rep, 'Region')));
    if (r.Type === 'AWS::S3::Bucket') for (const rule of list(at(p, 'ReplicationConfiguration', 'Rules'))) add(id, 'S3 replication', at(rule, 'Destination', 'Bucket'));
    if (r.Type === 'AWS::SecretsManager::Secret') for (const rep of list(p.ReplicaRegions)) add(id, 'Secrets Manager replica', str(at(rep, 'Region')), str(at(rep, 'Region')));
    if (r.Type === 'AWS::Backup::BackupPlan') {
      for (const rule of list(at(p, 'BackupPlan', 'BackupPlanRule'))) for (const copy of list(at(rule, 'CopyActions'))) add(id, 'Backup copy', at(copy, 'DestinationBackupVaultArn'));
    }
    if (r.Type === 'AWS::Logs::SubscriptionFilter') add(id, 'log subscription', p.DestinationArn);
    if (r.Type === 'AWS::Lambda::Function') flows.push(...functionFlows(stack, id, at(p, 'Environment', 'Variables'), realms), ...egressFlow(stack, id, at(p, 'Environment', 'Variables')));
    if (r.Type === 'AWS::KMS::Key' && isTrue(p.MultiRegion)) {
      flows.push({ stack: stack.stackName, logicalId: id, what: 'multi-Region KMS key', destination: 'replica keys in other regions', flag: 'a multi-Region key can be replicated out of the jurisdiction' });
    }
  }
  const gateways = Object.entries(stack.resources).filter(([, r]) => r.Type === 'AWS::EC2::NatGateway' || r.Type === 'AWS::EC2::InternetGateway');
  if (gateways.length && realms.length) {
    flows.push({
      stack: stack.stackName,
      logicalId: gateways[0]![0],
      what: 'a gateway to the internet in a realm: functions behind it can send tenant data to any host',
      destination: 'the internet',
      flag: "a realm's data functions should reach Atlassian only through the egress function (AtlassianEgress), never through a gateway",
    });
  }
  return flows;
}

/** A function's calls to the customer's Atlassian site, when it is an egress function (`RESIDENCY_EGRESS_HOSTS`). */
function egressFlow(stack: AssemblyStack, logicalId: string, variables: Json): OutboundFlow[] {
  const hosts = str(at(variables, ENV.egressHosts));
  if (hosts === undefined) return [];
  let list: unknown;
  try {
    list = JSON.parse(hosts);
  } catch {
    list = undefined;
  }
  const named = Array.isArray(list) ? list.filter((h): h is string => typeof h === 'string') : [];
  const atlassian = named.length > 0 && named.every((h) => isAtlassianApiHost(h.replace(/^\*\./, 'site.')));
  return [
    {
      stack: stack.stackName,
      logicalId,
      what: "calls to the customer's own Atlassian site (tenant.atlassian): requests and responses over HTTPS, through the egress function",
      destination: `the tenant's Atlassian site (${named.join(', ') || 'hosts unreadable'})`,
      ...(atlassian
        ? { note: "only the current tenant's own site, no redirects followed: the customer's own product, which keeps its data where Atlassian pins the site" }
        : { flag: `the egress function reaches hosts that are not Atlassian's: ${named.join(', ') || hosts}` }),
    },
  ];
}

/**
 * The cross-region calls a function's environment sets up: a migration function reaching
 * other realms' stores (only on a customer's migration request), and a directory function
 * sending the edge's writer keyed hashes of tenant ids, made in the realm (never an id).
 */
function functionFlows(stack: AssemblyStack, logicalId: string, variables: Json, realms: readonly RealmName[]): OutboundFlow[] {
  const flows: OutboundFlow[] = [];
  const inJurisdiction = (region: string) => realms.length > 0 && realms.every((realm) => isInJurisdiction(realm, region));
  // The realms' settings are a JSON text joined with the account id; the literal parts carry realm names and regions.
  const migration = JSON.stringify(at(variables, ENV.migrationRealms) ?? '');
  for (const [, realm, region] of migration.matchAll(/\\"(\w+)\\":\{\\"region\\":\\"([a-z0-9-]+)\\"/g)) {
    if (region === stack.region) continue;
    flows.push({
      stack: stack.stackName,
      logicalId,
      what: `data residency migration to ${realm}: a tenant's record, re-wrapped data key, items and objects`,
      destination: region!,
      destinationRegion: region!,
      note: inJurisdiction(region!) ? 'inside the jurisdiction' : "outside the jurisdiction: only when the customer moves the tenant there (Atlassian's migration hooks), acknowledged",
    });
  }
  const directory = str(at(variables, ENV.directoryFunction)) ?? JSON.stringify(at(variables, ENV.directoryFunction) ?? '');
  const writerRegion = /:lambda:([a-z0-9-]+):/.exec(directory)?.[1];
  if (writerRegion !== undefined && writerRegion !== stack.region) {
    flows.push({
      stack: stack.stackName,
      logicalId,
      what: 'keyed hash of a tenant id (bucket and fingerprint, hashed in the realm) and realm name to the tenant directory writer; no tenant identifier',
      destination: writerRegion,
      destinationRegion: writerRegion,
      note: 'the hashed tenant directory (metadata only), acknowledged',
    });
  }
  return flows;
}

function flagOf(region: string | undefined, realms: readonly RealmName[]): { flag?: string } {
  if (region === undefined) return { flag: 'the destination region cannot be established from the assembly' };
  if (realms.length === 0) return { flag: `goes to ${region} from a stack with no realm` };
  const outside = realms.filter((realm) => !isInJurisdiction(realm, region));
  return outside.length ? { flag: `${region} is outside the jurisdiction of ${outside.join(', ')}` } : {};
}

function cachingDisabled(stacks: readonly AssemblyStack[]): boolean {
  const distributions = stacks.flatMap((s) => Object.values(s.resources).filter((r) => r.Type === 'AWS::CloudFront::Distribution'));
  const behaviors = distributions.flatMap((d) => [at(d.Properties, 'DistributionConfig', 'DefaultCacheBehavior'), ...list(at(d.Properties, 'DistributionConfig', 'CacheBehaviors'))]);
  return behaviors.length > 0 && behaviors.every((b) => at(b, 'CachePolicyId') === CACHING_DISABLED);
}
