import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { STATEFUL_REMOVAL_POLICY } from '../removal-policy';
import { acknowledge } from '../acknowledge';

/** One app-level secret. */
export interface AppSecretSpec {
  /** Short name, unique in the app; the secret is named `<app-key>/<realm>/<name>`. */
  readonly name: string;
  /** What the secret is and who issues it. */
  readonly description: string;
}

/** Props of {@link AppSecrets}. */
export interface AppSecretsProps {
  /** The Atlassian app key (first part of each secret name). */
  readonly appKey: string;
  /** The realm stack that holds the secrets (second part of each name). */
  readonly realm: string;
  /** The realm key that encrypts every secret. */
  readonly encryptionKey: kms.IKey;
  /** The secrets to create. */
  readonly secrets: readonly AppSecretSpec[];
}

/**
 * App-level secrets of one realm in Secrets Manager, encrypted with the realm key.
 * Each starts with a random placeholder the operator replaces with the issued value
 * (`aws secretsmanager put-secret-value`), so no secret value is ever in a template.
 * Per-tenant Connect shared secrets are not kept here: they are envelope-encrypted
 * in the tenant table.
 */
export class AppSecrets extends Construct {
  /** The prefix of every app secret's name: `<appKey>/<realm in lower case>/`. */
  public static prefixOf(appKey: string, realm: string): string {
    return `${appKey}/${realm.toLowerCase()}/`;
  }

  /** The secrets by name. */
  public readonly secrets: ReadonlyMap<string, secretsmanager.Secret>;
  /** The prefix of these secrets' names (see {@link AppSecrets.prefixOf}). */
  public readonly prefix: string;

  constructor(scope: Construct, id: string, props: AppSecretsProps) {
    super(scope, id);
    this.prefix = AppSecrets.prefixOf(props.appKey, props.realm);
    const map = new Map<string, secretsmanager.Secret>();
    for (const spec of props.secrets) {
      if (map.has(spec.name)) throw new Error(`AppSecrets: secret name "${spec.name}" is given twice; expected unique names`);
      const secret = new secretsmanager.Secret(this, spec.name, {
        secretName: this.prefix + spec.name,
        description: spec.description,
        encryptionKey: props.encryptionKey,
        generateSecretString: { passwordLength: 48, excludePunctuation: true },
        removalPolicy: STATEFUL_REMOVAL_POLICY,
      });
      acknowledge(
        secret.node.defaultChild!,
        'The value is a credential issued by a third party (named in the description) and can only be rotated at its ' +
          'issuer; operators replace it with put-secret-value. Reads are limited to granted roles and the realm CMK.',
        'AwsSolutions::AwsSolutions-SMG4',
        'HIPAA.Security::HIPAA.Security-SecretsManagerRotationEnabled',
        'NIST.800.53.R5::NIST.800.53.R5-SecretsManagerRotationEnabled',
      );
      map.set(spec.name, secret);
    }
    this.secrets = map;
  }

  /** The secret called `name`; throws when there is none. */
  public secret(name: string): secretsmanager.Secret {
    const s = this.secrets.get(name);
    if (!s) throw new Error(`AppSecrets: no secret named "${name}"; expected one of ${[...this.secrets.keys()].join(', ') || '(none)'}`);
    return s;
  }

  /** Lets `grantee` read the secret called `name` (and decrypt it with the realm key). */
  public grantRead(grantee: iam.IGrantable, name: string): iam.Grant {
    return this.secret(name).grantRead(grantee);
  }
}
