import { runSimulation, runUnsafeSimulation, Simulation } from '@cloud-copilot/iam-simulate';
import { tenantObjectSegment } from '../../runtime/migration/object-store';
import { tenantPartition } from '../../runtime/tenants/item-keys';
import { ACCOUNT, SynthesizedRealm } from './synthesized-policies';

// The realm stack's synthesized policies, evaluated by an IAM policy simulator as AWS would after deploy.
const realm = new SynthesizedRealm();
const api = realm.stack.secureApi;
const tenantRole = realm.idOf(api.tenantAccess.role);
const appRole = realm.idOf(api.appFunction.role);
const table = realm.arnOf(realm.idOf(realm.stack.tenantStore.table));
const tableName = realm.nameOf(realm.idOf(realm.stack.tenantStore.table));
const bucketId = realm.idOf(realm.stack.dataBucket.bucket);
const bucket = realm.arnOf(bucketId);
const keyId = realm.idOf(realm.stack.realmKey.key);
const key = realm.arnOf(keyId);
const environment = realm.propertyOf(realm.idOf(api.appFunction.function), 'Environment').Variables;
const appKey: string = environment.RESIDENCY_APP_KEY;
const stackRealm: string = environment.RESIDENCY_REALM;

// A Connect clientKey and a Forge installation ARI: both must be usable as session tags.
const A = 'c0ffee00-1111-4222-8333-444455556666';
const B = 'ari:cloud:ecosystem::installation/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

interface Caller {
  readonly principal: string;
  readonly policies: { name: string; policy: unknown }[];
  readonly tags: Record<string, string>;
}

const sessionOf = (tenant: string): Caller => ({
  principal: `arn:aws:sts::${ACCOUNT}:assumed-role/${realm.nameOf(tenantRole)}/tenant-0123456789abcdef`,
  policies: realm.identityPoliciesOf(tenantRole),
  tags: { 'aws:PrincipalTag/tenant': tenant, 'aws:PrincipalTag/tenantObjects': tenantObjectSegment(tenant) },
});
const appFunction: Caller = { principal: `arn:aws:sts::${ACCOUNT}:assumed-role/${realm.nameOf(appRole)}/app-function`, policies: realm.identityPoliciesOf(appRole), tags: {} };

async function decide(caller: Caller, action: string, resource: string, context: Record<string, string | string[]>, resourcePolicy?: unknown): Promise<string> {
  const simulation: Simulation = {
    request: { principal: caller.principal, action, resource: { resource, accountId: ACCOUNT }, contextVariables: { ...caller.tags, ...context } },
    identityPolicies: caller.policies,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(resourcePolicy ? { resourcePolicy } : {}),
  };
  const out = await runSimulation(simulation, {});
  if (out.resultType === 'error') throw new Error(`simulation of ${action} refused its input: ${JSON.stringify(out.errors)}`);
  // The checked entry point drops `kms:EncryptionContext:<key>` (it expands only `/`-separated key variables):
  // after it has validated the input, the same engine decides with the context exactly as KMS would send it.
  if (Object.keys(context).some((k) => k.startsWith('kms:EncryptionContext:'))) {
    // The unchecked entry point loads the resource policy without a name; pass it already named.
    const named = resourcePolicy ? { resourcePolicy: { __validated: true, policyDocument: resourcePolicy, metadata: { name: 'resource-policy' } } } : {};
    return runUnsafeSimulation({ ...simulation, ...named }, {});
  }
  return out.overallResult;
}

const item = (caller: Caller, action: string, owner: string) => decide(caller, `dynamodb:${action}`, table, { 'dynamodb:LeadingKeys': [tenantPartition(owner)] });
const object = (caller: Caller, action: string, owner: string) =>
  decide(caller, `s3:${action}`, `${bucket}/tenants/${tenantObjectSegment(owner)}/notes/a.txt`, { 'aws:SecureTransport': 'true' }, realm.bucketPolicyOf(bucketId));
const listing = (caller: Caller, owner: string) =>
  decide(caller, 's3:ListBucket', bucket, { 's3:prefix': `tenants/${tenantObjectSegment(owner)}/`, 'aws:SecureTransport': 'true' }, realm.bucketPolicyOf(bucketId));
const dataKey = (caller: Caller, action: string, owner: string) =>
  decide(caller, `kms:${action}`, key, { 'kms:EncryptionContext:app': appKey, 'kms:EncryptionContext:realm': stackRealm, 'kms:EncryptionContext:tenant': owner, 'kms:EncryptionContextKeys': ['app', 'realm', 'tenant'] }, realm.propertyOf(keyId, 'KeyPolicy'));

describe('a tenant session (IAM evaluation of the synthesized realm stack)', () => {
  it.each(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query'])('is allowed %s on its own partition and denied it on another tenant\'s', async (action) => {
    expect(await item(sessionOf(A), action, A)).toBe('Allowed');
    expect(await item(sessionOf(B), action, B)).toBe('Allowed');
    expect(await item(sessionOf(A), action, B)).toBe('ImplicitlyDenied');
    expect(await item(sessionOf(B), action, A)).toBe('ImplicitlyDenied');
  });

  it('is denied a request naming its own and another tenant\'s partition together, and one naming none', async () => {
    expect(await decide(sessionOf(A), 'dynamodb:Query', table, { 'dynamodb:LeadingKeys': [tenantPartition(A), tenantPartition(B)] })).toBe('ImplicitlyDenied');
    expect(await decide(sessionOf(A), 'dynamodb:Scan', table, {})).toBe('ImplicitlyDenied');
  });

  it('is allowed installation claims (rows keyed INSTALLATION#, no tenant data) but not another item partition', async () => {
    expect(await decide(sessionOf(A), 'dynamodb:PutItem', table, { 'dynamodb:LeadingKeys': ['INSTALLATION#id:abc'] })).toBe('Allowed');
    expect(await decide(sessionOf(A), 'dynamodb:Query', table, { 'dynamodb:LeadingKeys': ['INSTALLATION#id:abc'] })).toBe('ImplicitlyDenied');
    expect(await decide(sessionOf(A), 'dynamodb:GetItem', table, { 'dynamodb:LeadingKeys': ['MIGRATION#x'] })).toBe('ImplicitlyDenied');
  });

  it.each(['GetObject', 'PutObject', 'DeleteObject'])('is allowed %s below its own prefix and denied it below another tenant\'s', async (action) => {
    expect(await object(sessionOf(A), action, A)).toBe('Allowed');
    expect(await object(sessionOf(B), action, B)).toBe('Allowed');
    expect(await object(sessionOf(A), action, B)).toBe('ImplicitlyDenied');
    expect(await object(sessionOf(B), action, A)).toBe('ImplicitlyDenied');
  });

  it('lists its own prefix only', async () => {
    expect(await listing(sessionOf(A), A)).toBe('Allowed');
    expect(await listing(sessionOf(B), B)).toBe('Allowed');
    expect(await listing(sessionOf(A), B)).toBe('ImplicitlyDenied');
    expect(await decide(sessionOf(A), 's3:ListBucket', bucket, { 's3:prefix': 'tenants/', 'aws:SecureTransport': 'true' }, realm.bucketPolicyOf(bucketId))).toBe('ImplicitlyDenied');
  });

  it('lists the versions of its own prefix only, and deletes versions (a shred\'s purge) of its own objects only', async () => {
    const versions = (caller: Caller, prefix: string) => decide(caller, 's3:ListBucketVersions', bucket, { 's3:prefix': prefix, 'aws:SecureTransport': 'true' }, realm.bucketPolicyOf(bucketId));
    expect(await versions(sessionOf(A), `tenants/${tenantObjectSegment(A)}/`)).toBe('Allowed');
    expect(await versions(sessionOf(A), `tenants/${tenantObjectSegment(B)}/`)).toBe('ImplicitlyDenied');
    expect(await versions(sessionOf(A), 'tenants/')).toBe('ImplicitlyDenied');
    expect(await object(sessionOf(A), 'DeleteObjectVersion', A)).toBe('Allowed');
    expect(await object(sessionOf(B), 'DeleteObjectVersion', B)).toBe('Allowed');
    expect(await object(sessionOf(A), 'DeleteObjectVersion', B)).toBe('ImplicitlyDenied');
    expect(await decide(sessionOf(A), 's3:DeleteObjectVersion', `${bucket}/logs/a`, { 'aws:SecureTransport': 'true' }, realm.bucketPolicyOf(bucketId))).toBe('ImplicitlyDenied');
  });

  it('is refused by the bucket policy without TLS, even for its own objects', async () => {
    expect(await decide(sessionOf(A), 's3:GetObject', `${bucket}/tenants/${tenantObjectSegment(A)}/a`, { 'aws:SecureTransport': 'false' }, realm.bucketPolicyOf(bucketId))).toBe('ExplicitlyDenied');
  });

  it.each(['Decrypt', 'GenerateDataKey'])('may %s its own data key and not another tenant\'s', async (action) => {
    expect(await dataKey(sessionOf(A), action, A)).toBe('Allowed');
    expect(await dataKey(sessionOf(B), action, B)).toBe('Allowed');
    expect(await dataKey(sessionOf(A), action, B)).toBe('ImplicitlyDenied');
  });

  it('may decrypt the table\'s key only through DynamoDB for this table, and the bucket\'s only through S3 for this bucket', async () => {
    const via = (service: string, context: Record<string, string>) =>
      decide(sessionOf(A), 'kms:Decrypt', key, { 'kms:ViaService': `${service}.${realm.region}.amazonaws.com`, ...context }, realm.propertyOf(keyId, 'KeyPolicy'));
    expect(await via('dynamodb', { 'kms:EncryptionContext:aws:dynamodb:tableName': tableName })).toBe('Allowed');
    expect(await via('dynamodb', { 'kms:EncryptionContext:aws:dynamodb:tableName': 'another-table' })).toBe('ImplicitlyDenied');
    expect(await via('s3', { 'kms:EncryptionContext:aws:s3:arn': bucket })).toBe('Allowed');
    expect(await via('secretsmanager', { 'kms:EncryptionContext:aws:s3:arn': bucket })).toBe('ImplicitlyDenied');
  });
});

describe('the app function\'s own role', () => {
  it('is denied every tenant\'s items, objects and data keys', async () => {
    for (const t of [A, B]) {
      for (const action of ['GetItem', 'PutItem', 'Query', 'DeleteItem']) expect(await item(appFunction, action, t)).toBe('ImplicitlyDenied');
      for (const action of ['GetObject', 'PutObject']) expect(await object(appFunction, action, t)).toBe('ImplicitlyDenied');
      expect(await listing(appFunction, t)).toBe('ImplicitlyDenied');
      for (const action of ['Decrypt', 'GenerateDataKey']) expect(await dataKey(appFunction, action, t)).toBe('ImplicitlyDenied');
    }
    expect(await decide(appFunction, 'dynamodb:PutItem', table, { 'dynamodb:LeadingKeys': ['INSTALLATION#id:abc'] })).toBe('ImplicitlyDenied');
  });

  it('may start a tenant session only with the tenant tags, and only of the tenant-access role', async () => {
    const trust = realm.propertyOf(tenantRole, 'AssumeRolePolicyDocument');
    const roleArn = realm.arnOf(tenantRole);
    const tags = { 'aws:RequestTag/tenant': A, 'aws:RequestTag/tenantObjects': tenantObjectSegment(A), 'aws:TagKeys': ['tenant', 'tenantObjects'] };
    for (const action of ['sts:AssumeRole', 'sts:TagSession']) {
      expect(await decide(appFunction, action, roleArn, tags, trust)).toBe('Allowed');
      expect(await decide(appFunction, action, roleArn, {}, trust)).not.toBe('Allowed');
      expect(await decide(appFunction, action, roleArn, { 'aws:RequestTag/tenant': A, 'aws:TagKeys': ['tenant'] }, trust)).not.toBe('Allowed');
      expect(await decide(appFunction, action, roleArn, { ...tags, 'aws:RequestTag/admin': 'yes', 'aws:TagKeys': ['tenant', 'tenantObjects', 'admin'] }, trust)).not.toBe('Allowed');
    }
    expect(await decide(appFunction, 'sts:AssumeRole', `arn:aws:iam::${ACCOUNT}:role/another-role`, tags)).not.toBe('Allowed');
  });

  it('and the realm sweep are the only principals the tenant-access role trusts', async () => {
    const trust = realm.propertyOf(tenantRole, 'AssumeRolePolicyDocument');
    const tags = { 'aws:RequestTag/tenant': A, 'aws:RequestTag/tenantObjects': tenantObjectSegment(A), 'aws:TagKeys': ['tenant', 'tenantObjects'] };
    const others = [realm.idOf(api.connectAuthorizerFunction.role), realm.idOf(api.installAuthorizerFunction.role)];
    for (const other of others) {
      const caller: Caller = { principal: `arn:aws:sts::${ACCOUNT}:assumed-role/${realm.nameOf(other)}/x`, policies: realm.identityPoliciesOf(other), tags: {} };
      expect(await decide(caller, 'sts:AssumeRole', realm.arnOf(tenantRole), tags, trust)).not.toBe('Allowed');
    }
    // Even a principal of this account holding sts:* is refused by the trust policy.
    const admin: Caller = { principal: `arn:aws:iam::${ACCOUNT}:role/admin`, policies: [{ name: 'all', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:*', Resource: '*' }] } }], tags: {} };
    expect(await decide(admin, 'sts:AssumeRole', realm.arnOf(tenantRole), tags, trust)).not.toBe('Allowed');
  });
});

describe("the realm sweep's own role", () => {
  const sweepRole = realm.idOf(realm.stack.sweep.function.role);
  const sweep: Caller = { principal: `arn:aws:sts::${ACCOUNT}:assumed-role/${realm.nameOf(sweepRole)}/sweep`, policies: realm.identityPoliciesOf(sweepRole), tags: {} };
  const scan = (attributes: string[], select: string) => decide(sweep, 'dynamodb:Scan', table, { 'dynamodb:Attributes': attributes, 'dynamodb:Select': select });

  it('may scan the table for the record attributes only, never the secret, key or data', async () => {
    expect(await scan(['pk', 'sk', 'clientKey', 'state', 'shredAfter', 'shreddedAt'], 'SPECIFIC_ATTRIBUTES')).toBe('Allowed');
    expect(await scan(['pk', 'sk', 'clientKey', 'secret'], 'SPECIFIC_ATTRIBUTES')).toBe('ImplicitlyDenied');
    expect(await scan(['pk', 'sk', 'wrappedKey'], 'SPECIFIC_ATTRIBUTES')).toBe('ImplicitlyDenied');
    expect(await scan([], 'ALL_ATTRIBUTES')).toBe('ImplicitlyDenied');
  });

  it("is denied every tenant's items, objects and data keys: it shreds on the tenant's session", async () => {
    for (const t of [A, B]) {
      for (const action of ['GetItem', 'DeleteItem', 'Query']) expect(await item(sweep, action, t)).toBe('ImplicitlyDenied');
      for (const action of ['GetObject', 'DeleteObject', 'DeleteObjectVersion']) expect(await object(sweep, action, t)).toBe('ImplicitlyDenied');
      for (const action of ['Decrypt', 'GenerateDataKey']) expect(await dataKey(sweep, action, t)).toBe('ImplicitlyDenied');
    }
  });

  it('may start a tenant session only with the tenant tags', async () => {
    const trust = realm.propertyOf(tenantRole, 'AssumeRolePolicyDocument');
    const tags = { 'aws:RequestTag/tenant': A, 'aws:RequestTag/tenantObjects': tenantObjectSegment(A), 'aws:TagKeys': ['tenant', 'tenantObjects'] };
    expect(await decide(sweep, 'sts:AssumeRole', realm.arnOf(tenantRole), tags, trust)).toBe('Allowed');
    expect(await decide(sweep, 'sts:AssumeRole', realm.arnOf(tenantRole), {}, trust)).not.toBe('Allowed');
  });
});
