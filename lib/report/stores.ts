import { AssemblyStack, TemplateResource } from './assembly';
import { Json, at, isTrue, list, num, str } from './json';
import { KeyRef, awsManaged, awsOwned, resolveKey } from './keys';

/** A resource that holds data at rest, and the key that encrypts it. */
export interface Store {
  /** Logical id in the stack's template. */
  readonly logicalId: string;
  /** Construct path below the stack, where recorded. */
  readonly path?: string;
  /** The CloudFormation type. */
  readonly type: string;
  /** What it is, for a reader: "DynamoDB table", "S3 bucket"... */
  readonly kind: string;
  /** Its physical name when the template fixes one. */
  readonly name?: string;
  /** The key that encrypts it at rest. */
  readonly key: KeyRef;
  /** Why the report flags it (not under a customer managed key of its own region), if it does. */
  readonly flag?: string;
  /** Why it is not flagged although it has no customer managed key (a declared exception). */
  readonly note?: string;
  /** How long its data is kept, as the template sets it. */
  readonly retention?: string;
}

interface StoreType {
  readonly kind: string;
  /** Why a store of this type is not flagged without a customer managed key (a declared metadata exception). */
  readonly exempt?: string;
  readonly name: (p: Record<string, Json>) => Json;
  readonly key: (stack: AssemblyStack, p: Record<string, Json>) => KeyRef;
  readonly retention?: (p: Record<string, Json>) => string | undefined;
}

// Every resource type that rests data, with where its template names the key and what AWS uses when it does not.
const STORE_TYPES: Readonly<Record<string, StoreType>> = {
  'AWS::DynamoDB::Table': {
    kind: 'DynamoDB table',
    retention: (p) => {
      const ttl = str(at(p, 'TimeToLiveSpecification', 'AttributeName'));
      const pitr = isTrue(at(p, 'PointInTimeRecoverySpecification', 'PointInTimeRecoveryEnabled'));
      return `${ttl ? `items expire by TTL (${ttl})` : 'no TTL'}${pitr ? '; point-in-time recovery 35 days' : ''}`;
    },
    name: (p) => p.TableName,
    key: (s, p) =>
      isTrue(at(p, 'SSESpecification', 'SSEEnabled'))
        ? resolveKey(s, at(p, 'SSESpecification', 'KMSMasterKeyId'), awsManaged('aws/dynamodb'))
        : awsOwned('DynamoDB default encryption'),
  },
  'AWS::DynamoDB::GlobalTable': {
    kind: 'DynamoDB global table',
    name: (p) => p.TableName,
    key: (s, p) => {
      if (!isTrue(at(p, 'SSESpecification', 'SSEEnabled'))) return awsOwned('DynamoDB default encryption');
      const here = list(p.Replicas).find((r) => at(r, 'Region') === s.region) ?? list(p.Replicas)[0];
      return resolveKey(s, at(here, 'SSESpecification', 'KMSMasterKeyId'), awsManaged('aws/dynamodb'));
    },
  },
  'AWS::S3::Bucket': {
    kind: 'S3 bucket',
    retention: (p) => {
      const rule = list(at(p, 'LifecycleConfiguration', 'Rules')).map((r) => [num(at(r, 'ExpirationInDays')), num(at(r, 'NoncurrentVersionExpiration', 'NoncurrentDays'))] as const);
      const parts = rule.flatMap(([cur, old]) => [cur !== undefined ? `objects expire after ${cur} days` : undefined, old !== undefined ? `old versions after ${old} days` : undefined]).filter(Boolean);
      return parts.length ? parts.join('; ') : 'no lifecycle expiry';
    },
    name: (p) => p.BucketName,
    key: (s, p) => {
      const byDefault = at(p, 'BucketEncryption', 'ServerSideEncryptionConfiguration', 0, 'ServerSideEncryptionByDefault');
      const algorithm = str(at(byDefault, 'SSEAlgorithm'));
      if (algorithm === undefined || algorithm === 'AES256') return awsOwned('S3 managed keys, SSE-S3');
      return resolveKey(s, at(byDefault, 'KMSMasterKeyID'), awsManaged('aws/s3'));
    },
  },
  'AWS::Logs::LogGroup': {
    kind: 'CloudWatch log group',
    retention: (p) => (num(p.RetentionInDays) !== undefined ? `${num(p.RetentionInDays)} days` : 'never expires'),
    name: (p) => p.LogGroupName,
    key: (s, p) => resolveKey(s, p.KmsKeyId, awsOwned('CloudWatch Logs default encryption')),
  },
  'AWS::SecretsManager::Secret': {
    kind: 'Secrets Manager secret',
    name: (p) => p.Name,
    key: (s, p) => resolveKey(s, p.KmsKeyId, awsManaged('aws/secretsmanager')),
  },
  'AWS::Backup::BackupVault': {
    kind: 'Backup vault',
    name: (p) => p.BackupVaultName,
    key: (s, p) => resolveKey(s, p.EncryptionKeyArn, awsManaged('aws/backup')),
  },
  'AWS::CloudFront::KeyValueStore': {
    kind: 'CloudFront KeyValueStore',
    exempt: 'the hashed tenant directory: keyed hashes and realm names only, a listed global exception',
    name: (p) => p.Name,
    key: () => awsOwned('CloudFront KeyValueStore encryption; no customer managed key option'),
  },
};

/** True when the report treats this resource type as a store. */
export function isStoreType(type: string): boolean {
  return type in STORE_TYPES;
}

/** Every store of a stack with the key that encrypts it, flagged where that is not a customer managed key of the stack's region. */
export function storesOfStack(stack: AssemblyStack): Store[] {
  return Object.entries(stack.resources)
    .filter(([, r]) => isStoreType(r.Type))
    .map(([id, r]) => storeOf(stack, id, r));
}

function storeOf(stack: AssemblyStack, logicalId: string, resource: TemplateResource): Store {
  const type = STORE_TYPES[resource.Type]!;
  const props = resource.Properties ?? {};
  const key = type.key(stack, props);
  const name = str(type.name(props));
  const flag = type.exempt ? undefined : flagOf(key, stack.region);
  const path = stack.paths.get(logicalId);
  const retention = type.retention?.(props);
  return { logicalId, ...(path ? { path } : {}), type: resource.Type, kind: type.kind, ...(name ? { name } : {}), key, ...(flag ? { flag } : {}), ...(type.exempt ? { note: type.exempt } : {}), ...(retention ? { retention } : {}) };
}

function flagOf(key: KeyRef, region: string | undefined): string | undefined {
  switch (key.kind) {
    case 'customer-managed':
      return undefined;
    case 'imported':
      return key.region && region && key.region !== region
        ? `encrypted with a key in ${key.region}, outside the stack's region ${region}`
        : 'key imported by ARN: the assembly cannot show it is customer managed, rotated and in this region';
    case 'unresolved':
      return 'the key cannot be resolved from the template';
    default:
      return `not under a customer managed key: ${key.label}`;
  }
}
