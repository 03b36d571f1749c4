import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { parseConfig } from '../../lib/config';
import { RealmStack } from '../../lib/stacks/realm-stack';
import { addResidencyStacks } from '../../lib/stacks/residency-app';
import { NO_BUNDLING } from '../helpers/example-app';
import { exampleConfigJson } from '../helpers/example-config';

/** The account the synthesized stack is given, so policies name it. */
export const ACCOUNT = '111122223333';

type Json = any;

/**
 * A realm stack of the example config (no packs, no bundling) with its CloudFormation
 * intrinsics resolved to the names and ARNs CloudFormation would give, so the IAM policies
 * can be evaluated as AWS would evaluate them after deploy.
 */
export class SynthesizedRealm {
  public readonly stack: RealmStack;
  public readonly region: string;
  private readonly resources: Record<string, Json>;

  constructor() {
    const json = exampleConfigJson();
    json.app.account = ACCOUNT;
    const { realmStacks } = addResidencyStacks(new App({ context: NO_BUNDLING }), parseConfig(json, 'iam-test.json'));
    this.stack = realmStacks[0]!;
    this.region = this.stack.region;
    this.resources = Template.fromStack(this.stack).toJSON().Resources;
  }

  /** Logical id of a construct's CloudFormation resource. */
  public idOf(construct: { node: { defaultChild?: unknown } } | unknown): string {
    const child = (construct as { node: { defaultChild?: unknown } }).node.defaultChild ?? construct;
    return Stack.of(this.stack).getLogicalId(child as never);
  }

  /** The name CloudFormation gives the resource (`Ref` of a table, bucket, role). */
  public nameOf(id: string): string {
    const r = this.resources[id];
    const p = r?.Properties ?? {};
    if (r?.Type === 'AWS::DynamoDB::GlobalTable' || r?.Type === 'AWS::DynamoDB::Table') return this.resolve(p.TableName) ?? `table-${id}`;
    if (r?.Type === 'AWS::S3::Bucket') return this.resolve(p.BucketName) ?? `bucket-${id.toLowerCase()}`;
    if (r?.Type === 'AWS::IAM::Role') return this.resolve(p.RoleName) ?? `role-${id}`;
    return id;
  }

  /** The ARN CloudFormation gives the resource (`Fn::GetAtt [id, Arn]`). */
  public arnOf(id: string): string {
    const type = this.resources[id]?.Type;
    switch (type) {
      case 'AWS::DynamoDB::GlobalTable':
      case 'AWS::DynamoDB::Table':
        return `arn:aws:dynamodb:${this.region}:${ACCOUNT}:table/${this.nameOf(id)}`;
      case 'AWS::S3::Bucket':
        return `arn:aws:s3:::${this.nameOf(id)}`;
      case 'AWS::KMS::Key':
        return `arn:aws:kms:${this.region}:${ACCOUNT}:key/${id}`;
      case 'AWS::IAM::Role':
        return `arn:aws:iam::${ACCOUNT}:role/${this.nameOf(id)}`;
      case 'AWS::Lambda::Function':
        return `arn:aws:lambda:${this.region}:${ACCOUNT}:function:${id}`;
      case 'AWS::SecretsManager::Secret':
        return `arn:aws:secretsmanager:${this.region}:${ACCOUNT}:secret:${id}-AbCdEf`;
      case 'AWS::Logs::LogGroup':
        return `arn:aws:logs:${this.region}:${ACCOUNT}:log-group:${id}:*`;
      default:
        throw new Error(`no ARN rule for ${id} (${type})`);
    }
  }

  /** Every identity policy attached to the role, resolved. */
  public identityPoliciesOf(roleId: string): { name: string; policy: Json }[] {
    const out: { name: string; policy: Json }[] = [];
    for (const [id, r] of Object.entries(this.resources)) {
      const roles = (r.Properties?.Roles ?? []) as Json[];
      const attached = roles.some((x) => x?.Ref === roleId) || ((this.resources[roleId]?.Properties?.ManagedPolicyArns ?? []) as Json[]).some((x) => x?.Ref === id);
      if ((r.Type === 'AWS::IAM::ManagedPolicy' || r.Type === 'AWS::IAM::Policy') && attached) out.push({ name: id, policy: this.resolve(r.Properties.PolicyDocument) });
    }
    for (const p of this.resources[roleId]?.Properties?.Policies ?? []) out.push({ name: p.PolicyName, policy: this.resolve(p.PolicyDocument) });
    return out;
  }

  /** A resource's policy property (`KeyPolicy`, `AssumeRolePolicyDocument`), resolved. */
  public propertyOf(id: string, property: string): Json {
    return this.resolve(this.resources[id]!.Properties[property]);
  }

  /** The bucket policy of a bucket, resolved. */
  public bucketPolicyOf(bucketId: string): Json {
    const [policy] = Object.values(this.resources).filter((r) => r.Type === 'AWS::S3::BucketPolicy' && r.Properties.Bucket?.Ref === bucketId);
    return this.resolve(policy!.Properties.PolicyDocument);
  }

  private resolve(v: Json): Json {
    if (Array.isArray(v)) return v.map((x) => this.resolve(x));
    if (v === null || typeof v !== 'object') return v;
    if ('Ref' in v) {
      const pseudo: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::AccountId': ACCOUNT, 'AWS::Region': this.region, 'AWS::URLSuffix': 'amazonaws.com' };
      return pseudo[v.Ref] ?? this.nameOf(v.Ref);
    }
    if ('Fn::GetAtt' in v) {
      const [id, attr] = v['Fn::GetAtt'];
      if (attr === 'Arn') return this.arnOf(id);
      throw new Error(`no rule for Fn::GetAtt ${id}.${attr}`);
    }
    if ('Fn::Join' in v) {
      const [sep, parts] = v['Fn::Join'];
      return (this.resolve(parts) as string[]).join(sep);
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.resolve(x)]));
  }
}
