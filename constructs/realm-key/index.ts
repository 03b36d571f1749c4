import { Aws, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { STATEFUL_REMOVAL_POLICY } from '../removal-policy';

/** Props of {@link RealmKey}. */
export interface RealmKeyProps {
  /** The Atlassian app key; the alias is `alias/<app-key>/<realm>`. */
  readonly appKey: string;
  /** The realms whose data this key protects (one alias each). */
  readonly realms: readonly string[];
  /**
   * What happens to the key when it leaves the stack. A deleted key makes every
   * backup and object it encrypted unreadable, so it is kept unless you say otherwise.
   * @default STATEFUL_REMOVAL_POLICY (kept on update and delete, removed when the first create rolls back)
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The customer managed key of one realm stack: rotated yearly, never multi-Region,
 * with an alias per app and realm. Everything the realm stores is encrypted with it.
 *
 * The key policy lets CloudWatch Logs (log groups of this account and region) and
 * S3 server access logging use it, and denies creating grants to anything but AWS
 * services acting for a resource (Control Tower CT.KMS.PR.3).
 */
export class RealmKey extends Construct {
  /** The KMS key. */
  public readonly key: kms.Key;
  /** The aliases, one per realm. */
  public readonly aliases: readonly kms.Alias[];

  constructor(scope: Construct, id: string, props: RealmKeyProps) {
    super(scope, id);
    const region = Stack.of(this).region;
    this.key = new kms.Key(this, 'Resource', {
      description: `cdk-residency: data key of ${props.appKey} for ${props.realms.join(', ')}`,
      enableKeyRotation: true,
      multiRegion: false,
      removalPolicy: props.removalPolicy ?? STATEFUL_REMOVAL_POLICY,
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchLogsOfThisAccountAndRegion',
        principals: [new iam.ServicePrincipal(`logs.${region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${region}:${Aws.ACCOUNT_ID}:log-group:*` },
        },
      }),
    );
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowS3ServerAccessLogDeliveryOfThisAccount',
        principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyGrantsExceptForAwsServices',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:CreateGrant'],
        resources: ['*'],
        conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
      }),
    );
    this.aliases = props.realms.map((realm) => new kms.Alias(this, `Alias${realm}`, { aliasName: realmKeyAliasName(props.appKey, realm), targetKey: this.key }));
  }

  /** Lets `grantee` encrypt and decrypt with the realm key. */
  public grantEncryptDecrypt(grantee: iam.IGrantable): iam.Grant {
    return this.key.grantEncryptDecrypt(grantee);
  }

  /** Lets `grantee` decrypt with the realm key. */
  public grantDecrypt(grantee: iam.IGrantable): iam.Grant {
    return this.key.grantDecrypt(grantee);
  }

  /** Lets `grantee` create data keys under the realm key (envelope encryption). */
  public grantGenerateDataKey(grantee: iam.IGrantable): iam.Grant {
    return this.key.grant(grantee, 'kms:GenerateDataKey');
  }
}

/**
 * The alias of an app's key for `realm`: `alias/<app-key>/<realm>` (lower case), with every
 * character KMS does not allow in alias names (anything but letters, digits, `/`, `_`, `-`) as `-`.
 */
export function realmKeyAliasName(appKey: string, realm: string): string {
  return `alias/${appKey.replace(/[^A-Za-z0-9_-]/g, '-')}/${realm.toLowerCase()}`;
}
