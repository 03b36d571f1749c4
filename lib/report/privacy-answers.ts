import { RETAINING_DELETION_POLICIES } from '../../constructs/removal-policy';
import { ENV } from '../../runtime/lambda/environment';
import { AssemblyStack, TemplateResource } from './assembly';
import { at, isTrue, list, num, referencedIds, str } from './json';
import { GlobalException } from './flows';
import type { RealmEntry, StackEntry } from './model';

/** One answer for the Marketplace listing's Privacy & Security tab, derived from the assembly. */
export interface PrivacyAnswer {
  /** The tab's section. */
  readonly section: 'Data residency' | 'Data storage' | 'Data retention' | 'Security' | 'Third parties' | 'Logging';
  /** The question, as a vendor meets it. */
  readonly question: string;
  /** The answer to paste. */
  readonly answer: string;
  /** What in the assembly the answer is read from. */
  readonly evidence: string;
}

/** What the answers are derived from. */
export interface PrivacyFacts {
  /** The realms hosted. */
  readonly realms: readonly RealmEntry[];
  /** Each stack with its template. */
  readonly stacks: ReadonlyArray<{ readonly source: AssemblyStack; readonly entry: StackEntry }>;
  /** The global exceptions. */
  readonly exceptions: readonly GlobalException[];
}

/** The Privacy & Security answers, each read from the templates (never from the config). */
export function privacyAnswers(facts: PrivacyFacts): PrivacyAnswer[] {
  const realmStacks = facts.stacks.filter((s) => s.entry.kind === 'realm');
  const all = (type: string): TemplateResource[] => realmStacks.flatMap((s) => Object.values(s.source.resources).filter((r) => r.Type === type));
  const pinned = facts.realms.filter((r) => r.realm !== 'Global').map((r) => r.realm);
  return [
    {
      section: 'Data residency',
      question: 'Does the app support data residency, and in which locations?',
      answer: pinned.length
        ? `Yes. Supported locations: ${pinned.join(', ')}${facts.realms.some((r) => r.realm === 'Global') ? ', plus Global (the unpinned default)' : ''}. ${migrationAnswer(all('AWS::ApiGateway::Resource'))}`
        : 'No: the app keeps all data in one location (Global).',
      evidence: "the stacks' realm tags and regions; the API's migration resources (AWS::ApiGateway::Resource PathPart)",
    },
    {
      section: 'Data storage',
      question: 'Where is end-user data stored?',
      answer: `On Amazon Web Services, in the region of the tenant's location: ${facts.realms.map((r) => `${r.realm} in ${r.region ?? 'an unspecified region'}`).join('; ')}. Each location keeps its own ${storeKinds(realmStacks.map((s) => s.entry))} in that region.`,
      evidence: "each realm stack's region and its store resources (tables, buckets, log groups, secrets, vaults)",
    },
    { section: 'Security', question: 'Is end-user data encrypted at rest?', answer: atRestAnswer(realmStacks.map((s) => s.entry)), evidence: "each store's key property (SSESpecification, BucketEncryption, KmsKeyId, EncryptionKeyArn) resolved to its AWS::KMS::Key" },
    { section: 'Security', question: 'Is end-user data encrypted in transit?', answer: inTransitAnswer(facts.stacks.map((s) => s.source)), evidence: 'AWS::ApiGateway::DomainName SecurityPolicy, RestApi DisableExecuteApiEndpoint, CloudFront ViewerCertificate, S3 bucket policies (aws:SecureTransport), VPC endpoints and gateways' },
    { section: 'Security', question: 'How are encryption keys managed?', answer: keysAnswer(realmStacks), evidence: "the realm stacks' AWS::KMS::Key resources (EnableKeyRotation, MultiRegion) and aliases" },
    { section: 'Data retention', question: 'How long is data retained?', answer: retentionAnswer(all), evidence: "log group RetentionInDays, backup plan lifecycles, the table's point-in-time recovery and the functions' shred setting" },
    { section: 'Data retention', question: 'Is data deleted when the app is uninstalled?', answer: uninstallAnswer(all), evidence: "the tenant table's TimeToLiveSpecification and the functions' shred setting; backup lifecycles" },
    {
      section: 'Third parties',
      question: 'Which sub-processors process end-user data?',
      answer:
        `Amazon Web Services (hosting), in ${[...new Set(realmStacks.map((s) => s.entry.region ?? 'unspecified'))].join(', ')}. ` +
        `Global AWS services hold configuration and request metadata only, no end-user content: ${facts.exceptions.map((e) => e.service).join(', ') || 'none'}.` +
        (facts.stacks.some((s) => Object.values(s.source.resources).some((r) => r.Type === 'AWS::CloudFront::Distribution'))
          ? ' Requests pass through Amazon CloudFront edge locations in transit (TLS) on their way to the tenant\'s region.'
          : ''),
      evidence: "the realm stacks' regions and the global exceptions (Route 53, IAM, CloudFront resources)",
    },
    {
      section: 'Logging',
      question: 'Where are logs kept?',
      answer: logsAnswer(realmStacks.map((s) => s.entry), all('AWS::Logs::LogGroup')),
      evidence: "the realm stacks' AWS::Logs::LogGroup resources (KmsKeyId, RetentionInDays)",
    },
  ];
}

function storeKinds(stacks: readonly StackEntry[]): string {
  return [...new Set(stacks.flatMap((s) => s.stores.map((st) => `${st.kind}s`)))].join(', ');
}

function migrationAnswer(resources: TemplateResource[]): string {
  const parts = new Set(resources.map((r) => str(r.Properties?.PathPart)));
  return ['schedule', 'start', 'status', 'commit', 'rollback'].every((p) => parts.has(p))
    ? "A tenant's data moves between locations with Atlassian's data residency migration."
    : 'Moving an existing tenant between locations is not served by the deployed API.';
}

function atRestAnswer(stacks: readonly StackEntry[]): string {
  const stores = stacks.flatMap((s) => s.stores);
  const cmk = stores.filter((s) => s.key.kind === 'customer-managed');
  const kinds = storeKinds(stacks);
  if (cmk.length === stores.length) return `Yes. All ${stores.length} stores (${kinds}) are encrypted with AWS KMS customer managed keys, one key per location, held in that location's region.`;
  const others = stores.filter((s) => s.key.kind !== 'customer-managed').map((s) => `${s.kind} ${s.name ?? s.logicalId}: ${s.key.label}`);
  return `Yes. ${cmk.length} of ${stores.length} stores use AWS KMS customer managed keys; the others use AWS keys: ${others.join('; ')}.`;
}

function inTransitAnswer(stacks: readonly AssemblyStack[]): string {
  const of = (type: string): TemplateResource[] => stacks.flatMap((s) => Object.values(s.resources).filter((r) => r.Type === type));
  const apiPolicies = [...new Set(of('AWS::ApiGateway::DomainName').map((d) => str(d.Properties?.SecurityPolicy) ?? 'default'))];
  const edgePolicies = [...new Set(of('AWS::CloudFront::Distribution').map((d) => str(at(d.Properties, 'DistributionConfig', 'ViewerCertificate', 'MinimumProtocolVersion')) ?? 'default'))];
  const apis = of('AWS::ApiGateway::RestApi');
  const noDefault = apis.filter((a) => isTrue(a.Properties?.DisableExecuteApiEndpoint)).length;
  const buckets = of('AWS::S3::BucketPolicy').filter((p) => JSON.stringify(p.Properties?.PolicyDocument ?? {}).includes('aws:SecureTransport')).length;
  const parts = [
    apiPolicies.length ? `The API accepts HTTPS only, on custom domains with TLS policy ${apiPolicies.join(', ')}` : undefined,
    apis.length ? `the default execute-api endpoint is disabled on ${noDefault} of ${apis.length} APIs` : undefined,
    edgePolicies.length ? `the global edge (CloudFront) requires ${edgePolicies.join(', ')}` : undefined,
    `${buckets} of ${of('AWS::S3::Bucket').length} buckets refuse requests without TLS`,
  ].filter(Boolean);
  const endpoints = of('AWS::EC2::VPCEndpoint').length;
  const gateways = of('AWS::EC2::InternetGateway').length + of('AWS::EC2::NatGateway').length;
  const vpc = endpoints ? ` Functions in the VPC reach AWS services over TLS through VPC endpoints${gateways ? '' : '; the VPC has no internet or NAT gateway'}.` : '';
  return `Yes. ${parts.join('; ')}.${vpc}`;
}

function keysAnswer(stacks: PrivacyFacts['stacks']): string {
  const keys = stacks.flatMap((s) => s.entry.keys);
  const rotated = keys.filter((k) => k.rotation).length;
  const multi = keys.filter((k) => k.multiRegion).length;
  const envelope = stacks.some((s) =>
    Object.values(s.source.resources).some((r) => r.Type === 'AWS::Lambda::Function' && referencedIds(at(r.Properties, 'Environment', 'Variables', ENV.keyArn)).length > 0),
  );
  return (
    `AWS KMS customer managed keys: ${keys.length} (one per location stack), each in its location's region; automatic yearly rotation on ${rotated} of ${keys.length}; ` +
    `${multi === 0 ? 'no multi-Region keys' : `${multi} multi-Region keys`}.` +
    (envelope ? " The functions wrap a data key per tenant with the location's key (envelope encryption), so deleting a tenant's wrapped key makes its data unreadable." : '')
  );
}

function retentionAnswer(all: (type: string) => TemplateResource[]): string {
  const tables = all('AWS::DynamoDB::Table');
  const backup = all('AWS::Backup::BackupPlan').flatMap((p) => list(at(p.Properties, 'BackupPlan', 'BackupPlanRule')).map((r) => num(at(r, 'Lifecycle', 'DeleteAfterDays'))));
  const versions = all('AWS::S3::Bucket').flatMap((b) => list(at(b.Properties, 'LifecycleConfiguration', 'Rules')).map((r) => num(at(r, 'NoncurrentVersionExpiration', 'NoncurrentDays'))));
  const parts = [
    `Tenant records are kept while the app is installed${tables.every((t) => RETAINING_DELETION_POLICIES.includes(t.DeletionPolicy ?? '')) ? ' (tables are retained even if a stack is deleted)' : ''}`,
    `logs ${days(all('AWS::Logs::LogGroup').map((g) => num(g.Properties?.RetentionInDays)))}`,
    backup.length ? `daily backups ${days(backup)}` : 'no scheduled backups',
    tables.some((t) => isTrue(at(t.Properties, 'PointInTimeRecoverySpecification', 'PointInTimeRecoveryEnabled'))) ? 'point-in-time recovery 35 days' : undefined,
    versions.some((v) => v !== undefined) ? `overwritten object versions ${days(versions)}` : undefined,
  ].filter(Boolean);
  return `${parts.join('; ')}.`;
}

function uninstallAnswer(all: (type: string) => TemplateResource[]): string {
  const ttl = [...new Set(all('AWS::DynamoDB::Table').filter((t) => isTrue(at(t.Properties, 'TimeToLiveSpecification', 'Enabled'))).map((t) => str(at(t.Properties, 'TimeToLiveSpecification', 'AttributeName'))))];
  const grace = [...new Set(all('AWS::Lambda::Function').map((f) => num(at(f.Properties, 'Environment', 'Variables', ENV.shredAfterDays))).filter((d): d is number => d !== undefined))];
  const backups = all('AWS::Backup::BackupPlan').flatMap((p) => list(at(p.Properties, 'BackupPlan', 'BackupPlanRule')).map((r) => num(at(r, 'Lifecycle', 'DeleteAfterDays'))));
  const pitr = all('AWS::DynamoDB::Table').some((t) => isTrue(at(t.Properties, 'PointInTimeRecoverySpecification', 'PointInTimeRecoveryEnabled')));
  if (ttl.length === 0 || grace.length === 0) return 'No automatic deletion on uninstall is configured in the deployed templates.';
  return (
    `Yes. On uninstall the tenant is kept for a grace period of ${grace.join(' or ')} days (so a reinstall keeps its data); then DynamoDB TTL (attribute ${ttl.join(', ')}) deletes the tenant's data key, ` +
    `which crypto-shreds everything encrypted under it. Backups and point-in-time recovery still hold the wrapped key until they expire (${days([...backups, ...(pitr ? [35] : [])])}); after that nothing can decrypt the tenant's data.`
  );
}

function logsAnswer(stacks: readonly StackEntry[], groups: readonly TemplateResource[]): string {
  const logStores = stacks.flatMap((s) => s.stores.filter((st) => st.type === 'AWS::Logs::LogGroup'));
  const cmk = logStores.filter((st) => st.key.kind === 'customer-managed').length;
  const encryption = cmk === logStores.length ? "encrypted with the location's customer managed key" : `${cmk} of ${logStores.length} log groups under a customer managed key`;
  return `In CloudWatch Logs in each location's own region, ${encryption}, kept ${days(groups.map((g) => num(g.Properties?.RetentionInDays)))}.`;
}

function days(values: ReadonlyArray<number | undefined>): string {
  const known = [...new Set(values.filter((v): v is number => v !== undefined))].sort((a, b) => a - b);
  if (known.length === 0) return 'without a set retention';
  return `${known.join(' or ')} days${values.some((v) => v === undefined) ? ' (some without a set retention)' : ''}`;
}
