import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { parseConfig } from '../../lib/config';
import { RealmStack } from '../../lib/stacks/realm-stack';
import { addResidencyStacks } from '../../lib/stacks/residency-app';
import { ENV } from '../../runtime/lambda/environment';
import { NO_BUNDLING } from '../helpers/example-app';
import { logicalIdOf } from '../helpers/logical-id';
import { exampleConfigJson } from '../helpers/example-config';

const config = parseConfig(exampleConfigJson());
const app = new App({ context: NO_BUNDLING });
const { realmStacks } = addResidencyStacks(app, config);
const byRealm = new Map(realmStacks.map((s) => [s.realms[0]!, s]));
const eu = byRealm.get('EU')!;
const json = (stack: Stack) => Template.fromStack(stack).toJSON();

/** A rendered value as text, with `{"Ref": "AWS::AccountId"}` as `<account>` and the partition as `aws`. */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, any>;
  if (v.Ref === 'AWS::AccountId') return '<account>';
  if (v.Ref === 'AWS::Partition') return 'aws';
  if (v['Fn::Join']) return (v['Fn::Join'][1] as unknown[]).map(text).join(v['Fn::Join'][0]);
  throw new Error(`cannot render ${JSON.stringify(value)}`);
}

describe('migration wiring', () => {
  const fn = json(eu).Resources[logicalIdOf(eu, eu.migration!.function.function)].Properties;
  const realms = JSON.parse(text(fn.Environment.Variables[ENV.migrationRealms]));

  it("runs the realm's migrations in a function outside the VPC that the app function invokes", () => {
    expect(fn.VpcConfig).toBeUndefined();
    expect(fn.Timeout).toBe(90);
    expect(fn.Environment.Variables[ENV.realm]).toBe('EU');
    expect(fn.Environment.Variables[ENV.migrationMaxConcurrent]).toBe(String(config.migration.maxConcurrent));
    const appFn = json(eu).Resources[logicalIdOf(eu, eu.secureApi.appFunction.function)].Properties;
    const moverId = logicalIdOf(eu, eu.migration!.function.function);
    expect(appFn.Environment.Variables[ENV.migrationFunction]).toEqual({ Ref: moverId });
    const appPolicy = json(eu).Resources[logicalIdOf(eu, eu.secureApi.appFunction.dataPolicy!)].Properties.PolicyDocument.Statement;
    expect(appPolicy).toContainEqual({ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { 'Fn::GetAtt': [moverId, 'Arn'] } });
  });

  it('lets the function invoke only itself, for its continuations, through a policy that names its role (no dependency cycle)', () => {
    const moverId = logicalIdOf(eu, eu.migration!.function.function);
    const policy = json(eu).Resources[logicalIdOf(eu, eu.migration!.continuePolicy)].Properties;
    expect(policy.PolicyDocument.Statement).toEqual([{ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { 'Fn::GetAtt': [moverId, 'Arn'] } }]);
    expect(policy.Roles).toEqual([{ Ref: logicalIdOf(eu, eu.migration!.function.role) }]);
  });

  it('tells the app function of a stack of several realms the realm of each host it serves, and the others nothing', () => {
    const shared = exampleConfigJson();
    shared.realms.DE = { shareStackWith: 'EU' };
    const { realmStacks: stacks } = addResidencyStacks(new App({ context: NO_BUNDLING }), parseConfig(shared));
    const frankfurt = stacks.find((s) => s.realms.includes('DE'))!;
    const appFn = json(frankfurt).Resources[logicalIdOf(frankfurt, frankfurt.secureApi.appFunction.function)].Properties;
    const hosts = JSON.parse(appFn.Environment.Variables[ENV.realmHosts]);
    expect(Object.values(hosts).sort()).toEqual(['DE', 'EU']);
    for (const [host, realm] of Object.entries(hosts)) expect(host).toMatch(new RegExp(`^${String(realm).toLowerCase()}\\.`));
    const appEu = json(eu).Resources[logicalIdOf(eu, eu.secureApi.appFunction.function)].Properties;
    expect(appEu.Environment.Variables[ENV.realmHosts]).toBeUndefined();
  });

  it('names every realm by the table, bucket and key alias that realm\'s own stack creates', () => {
    expect(Object.keys(realms).sort()).toEqual(config.realms.map((r) => r.name).sort());
    for (const realm of config.realms) {
      const owner = byRealm.get(realm.stackRealm)!;
      const template = json(owner);
      const names = (type: string, prop: string) => Object.values(template.Resources).filter((r: any) => r.Type === type).map((r: any) => r.Properties[prop]).filter(Boolean).map(text);
      expect(realms[realm.name]).toMatchObject({ region: owner.region, stackRealm: realm.stackRealm });
      expect(names('AWS::DynamoDB::Table', 'TableName')).toEqual([realms[realm.name].tableName]);
      expect(names('AWS::S3::Bucket', 'BucketName')).toEqual([realms[realm.name].bucketName]);
      const aliases = names('AWS::KMS::Alias', 'AliasName');
      expect(aliases).toContain(realms[realm.name].keyArn.slice(realms[realm.name].keyArn.indexOf(':alias/') + 1));
      expect(realms[realm.name].keyArn).toBe(`arn:aws:kms:${owner.region}:<account>:${aliases.find((a) => realms[realm.name].keyArn.endsWith(a))}`);
    }
  });

  it("lets the function use each realm's key only under that realm's alias and tenant encryption context", () => {
    const statements = json(eu).Resources[logicalIdOf(eu, eu.migration!.function.dataPolicy!)].Properties.PolicyDocument.Statement as any[];
    const dataKeys = statements.filter((s) => s.Condition?.Null);
    expect(dataKeys).toHaveLength(realmStacks.length);
    for (const s of dataKeys) {
      expect(text(s.Resource)).toMatch(/^arn:aws:kms:[a-z0-9-]+:<account>:key\/\*$/);
      expect(s.Condition['ForAnyValue:StringEquals']['kms:ResourceAliases']).toMatch(/^alias\/com-example-residency-demo\/[a-z]+$/);
      expect(s.Condition.StringEquals['kms:EncryptionContext:app']).toBe(config.app.key);
      expect(s.Condition.Null).toEqual({ 'kms:EncryptionContext:tenant': 'false' });
    }
    // Nothing but the realms' stores, the directory writer and the directory key's secret (a commit hashes here).
    const resources = statements.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]).map(text));
    for (const r of resources) expect(r).toMatch(/^arn:aws:(dynamodb:[a-z0-9-]+:<account>:table\/ResidencyDemo-\w+-tenants|kms:[a-z0-9-]+:<account>:key\/\*|s3:::residencydemo-\w+-data-<account>-[a-z0-9-]+(\/\*)?|lambda:us-east-1:<account>:function:ResidencyDemo-tenant-directory|secretsmanager:us-east-1:<account>:secret:ResidencyDemo-tenant-directory-key-\?{6})$/);
    const keyRead = statements.find((s) => s.Condition?.StringEquals?.['kms:ViaService'] === 'secretsmanager.us-east-1.amazonaws.com');
    expect(text(keyRead.Resource)).toBe('arn:aws:kms:us-east-1:<account>:key/*');
    expect(text(keyRead.Condition.StringLike['kms:EncryptionContext:SecretARN'])).toBe('arn:aws:secretsmanager:us-east-1:<account>:secret:ResidencyDemo-tenant-directory-key-??????');
  });

  it('refuses migrations without the directory writer a commit flips', () => {
    const zone = { id: 'Z0123456789EXAMPLE0AB', name: 'example.com' };
    expect(
      () => new RealmStack(new App({ context: NO_BUNDLING }), 'X', {
        env: { region: 'eu-central-1' }, appKey: 'a', realms: ['EU'], hostnames: ['eu.example.com'], hostedZone: zone, baseUrls: ['https://eu.example.com'],
        migration: { realms: {}, maxConcurrent: 1 },
      }),
    ).toThrow('RealmStack X: found migration without directoryWriterName; expected the directory writer a commit flips');
  });
});
