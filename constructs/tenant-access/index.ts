import { Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { claimPartition, tenantPartition } from '../../runtime/tenants/item-keys';
import { SESSION_TAG } from '../../runtime/tenants/session-tags';
import { acknowledge } from '../acknowledge';
import { APP_TABLE_ACTIONS, decryptViaService } from '../secure-api/permissions';

/** The item actions a tenant session may take in its own partition (what the app's store uses). */
export const TENANT_TABLE_ACTIONS = APP_TABLE_ACTIONS;
/** The item actions on installation claims (install, uninstall): claims hold a clientKey, never tenant data. */
export const CLAIM_TABLE_ACTIONS = ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'] as const;

/** The IAM policy variables a session's tags are read through. */
export const TENANT_TAG = `\${aws:PrincipalTag/${SESSION_TAG.tenant}}`;
const OBJECTS_TAG = `\${aws:PrincipalTag/${SESSION_TAG.objects}}`;

/** Props of {@link TenantAccessRole}. */
export interface TenantAccessRoleProps {
  /** The only role that may start tenant sessions: the app function's. */
  readonly assumedBy: iam.IRole;
  /** The tenant table. */
  readonly table: dynamodb.ITable;
  /** The realm key (data keys, the table's and the bucket's key). */
  readonly encryptionKey: kms.IKey;
  /** The Atlassian app key (encryption context `app`). */
  readonly appKey: string;
  /** The realm owning the stack (encryption context `realm`). */
  readonly realm: string;
  /** The data bucket, whose `tenants/<tenant>/` prefixes the sessions reach. @default - no object access */
  readonly bucket?: s3.IBucket;
}

/**
 * The role of tenant-scoped sessions: the app function assumes it per tenant with the session
 * tags `tenant` and `tenantObjects` (`sessionTagsOf`), and the policy, written with those tags
 * as policy variables, reaches only that tenant's table partition (`dynamodb:LeadingKeys`), its
 * objects prefix, and data keys whose encryption context names it. A bug in vendor code that
 * asks for another tenant's data is refused by IAM, not only by the runtime's key checks.
 */
export class TenantAccessRole extends Construct {
  /** The role. */
  public readonly role: iam.Role;
  /** Its permissions (customer-managed, attached to {@link role}). */
  public readonly policy: iam.ManagedPolicy;
  // Both tags must be set on the call (STS refuses tags without sts:TagSession); nothing else may be tagged.
  private readonly trustConditions = {
    StringLike: { [`aws:RequestTag/${SESSION_TAG.tenant}`]: '?*', [`aws:RequestTag/${SESSION_TAG.objects}`]: '?*' },
    'ForAllValues:StringEquals': { 'aws:TagKeys': [SESSION_TAG.tenant, SESSION_TAG.objects] },
  };

  constructor(scope: Construct, id: string, props: TenantAccessRoleProps) {
    super(scope, id);
    const key = props.encryptionKey;
    const trust = new iam.PrincipalWithConditions(new iam.ArnPrincipal(props.assumedBy.roleArn), this.trustConditions);
    this.role = new iam.Role(this, 'Resource', {
      assumedBy: trust.withSessionTags(),
      description: 'cdk-residency: one tenant\'s data, for a session tagged with that tenant (the app function assumes it per tenant)',
    });
    const statements = [
      new iam.PolicyStatement({
        sid: 'OwnPartition',
        actions: TENANT_TABLE_ACTIONS.map((a) => `dynamodb:${a}`),
        resources: [props.table.tableArn],
        conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [tenantPartition(TENANT_TAG)] }, Null: { 'dynamodb:LeadingKeys': 'false' } },
      }),
      new iam.PolicyStatement({
        sid: 'InstallationClaims',
        actions: CLAIM_TABLE_ACTIONS.map((a) => `dynamodb:${a}`),
        resources: [props.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [claimPartition('*')] }, Null: { 'dynamodb:LeadingKeys': 'false' } },
      }),
      decryptViaService(this, key, 'dynamodb', { 'kms:EncryptionContext:aws:dynamodb:tableName': props.table.tableName }),
      new iam.PolicyStatement({
        sid: 'OwnDataKey',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [key.keyArn],
        conditions: {
          StringEquals: { 'kms:EncryptionContext:app': props.appKey, 'kms:EncryptionContext:realm': props.realm, 'kms:EncryptionContext:tenant': TENANT_TAG },
        },
      }),
    ];
    if (props.bucket) {
      const prefix = `tenants/${OBJECTS_TAG}/`;
      statements.push(
        new iam.PolicyStatement({ sid: 'OwnObjects', actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], resources: [props.bucket.arnForObjects(`${prefix}*`)] }),
        new iam.PolicyStatement({ sid: 'ListOwnObjects', actions: ['s3:ListBucket', 's3:ListBucketVersions'], resources: [props.bucket.bucketArn], conditions: { StringLike: { 's3:prefix': `${prefix}*` } } }),
        // A shred (and a reinstall after one) deletes every version and delete marker of its own objects.
        new iam.PolicyStatement({ sid: 'PurgeOwnObjects', actions: ['s3:DeleteObjectVersion'], resources: [props.bucket.arnForObjects(`${prefix}*`)] }),
        // SSE-KMS with a bucket key: S3 asks KMS with the caller's credentials, in the bucket's context.
        decryptViaService(this, key, 's3', { 'kms:EncryptionContext:aws:s3:arn': props.bucket.bucketArn }, ['kms:GenerateDataKey', 'kms:Decrypt']),
      );
    }
    this.policy = new iam.ManagedPolicy(this, 'Policy', { description: 'cdk-residency: what a tenant session may reach, keyed on its tenant tag', statements, roles: [this.role] });
    const bucket = props.bucket?.node.defaultChild as s3.CfnBucket | undefined;
    if (bucket) {
      acknowledge(
        this.policy.node.defaultChild!,
        'The object ARN ends in a wildcard below a prefix fixed by the session tag ${aws:PrincipalTag/tenantObjects}, set by STS at ' +
          'AssumeRole: each session reaches only its own tenant\'s objects, whose keys it cannot know in advance.',
        `AwsSolutions::AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(bucket)}.Arn>/tenants/<aws:PrincipalTag/${SESSION_TAG.objects}>/*]`,
      );
    }
  }

  /**
   * Lets another role start tenant sessions too (the realm's sweep, which shreds on them): its trust
   * takes the same tag conditions as the app function's, and `grantAssume` names this role for it.
   */
  public allowSessionsOf(role: iam.IRole, policyId: string): iam.ManagedPolicy {
    this.role.assumeRolePolicy!.addStatements(
      new iam.PolicyStatement({
        actions: ['sts:AssumeRole', 'sts:TagSession'],
        principals: [new iam.ArnPrincipal(role.roleArn)],
        conditions: this.trustConditions,
      }),
    );
    return this.grantAssume(role, policyId);
  }

  /**
   * Lets `grantee` (the app function's role) start tenant sessions: AssumeRole with session tags. A policy
   * that names the role (not one the role lists), since this role's trust already names the grantee.
   */
  public grantAssume(grantee: iam.IRole, id = 'AssumePolicy'): iam.ManagedPolicy {
    return new iam.ManagedPolicy(this, id, {
      description: 'cdk-residency: the app function may start tenant sessions (AssumeRole with session tags)',
      statements: [new iam.PolicyStatement({ sid: 'TenantSessions', actions: ['sts:AssumeRole', 'sts:TagSession'], resources: [this.role.roleArn] })],
      roles: [grantee],
    });
  }
}
