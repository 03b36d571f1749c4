import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { contextRecord, describeContext } from './encryption-context';
import { DataKey, DataKeyError, EncryptionContext, KeySource } from './key-source';

/** Props of {@link KmsKeySource}. */
export interface KmsKeySourceProps {
  /** ARN (or id or alias) of the realm's KMS key. */
  readonly keyId: string;
  /**
   * The KMS client.
   * @default a `KMSClient` for the function's region
   */
  readonly client?: KMSClient;
}

// Errors KMS returns when the ciphertext, its context, or the key id do not match.
const MISMATCH_ERRORS = new Set(['InvalidCiphertextException', 'IncorrectKeyException']);

/**
 * Data keys from AWS KMS: `GenerateDataKey` (AES_256) and `Decrypt`, with the tenant's
 * {@link EncryptionContext} as the KMS encryption context, so every unwrap is bound to,
 * and logged in CloudTrail with, the app, realm and tenant.
 */
export class KmsKeySource implements KeySource {
  private readonly keyId: string;
  private readonly client: KMSClient;

  constructor(props: KmsKeySourceProps) {
    if (typeof props?.keyId !== 'string' || props.keyId === '') {
      throw new TypeError(`KmsKeySource needs a keyId (the realm key's ARN), got ${JSON.stringify(props?.keyId)}`);
    }
    this.keyId = props.keyId;
    this.client = props.client ?? new KMSClient({});
  }

  /** A fresh AES-256 data key from KMS, wrapped under the realm key and bound to `context`. */
  public async generateDataKey(context: EncryptionContext): Promise<DataKey> {
    const out = await this.client.send(
      new GenerateDataKeyCommand({ KeyId: this.keyId, KeySpec: 'AES_256', EncryptionContext: contextRecord(context) }),
    );
    if (!out.Plaintext || !out.CiphertextBlob) {
      throw new Error(`KMS GenerateDataKey returned no key for ${describeContext(context)}`);
    }
    return { plaintext: out.Plaintext, wrapped: out.CiphertextBlob };
  }

  /** The plaintext of `wrapped`; a {@link DataKeyError} when KMS refuses the ciphertext or context. */
  public async unwrap(wrapped: Uint8Array, context: EncryptionContext): Promise<Uint8Array> {
    try {
      const out = await this.client.send(
        new DecryptCommand({ KeyId: this.keyId, CiphertextBlob: wrapped, EncryptionContext: contextRecord(context) }),
      );
      if (!out.Plaintext) throw new Error(`KMS Decrypt returned no plaintext for ${describeContext(context)}`);
      return out.Plaintext;
    } catch (err) {
      const name = (err as { name?: string } | undefined)?.name ?? '';
      if (MISMATCH_ERRORS.has(name)) {
        throw new DataKeyError(
          `KMS refused to unwrap the data key for ${describeContext(context)} (${name}): the wrapped key, ` +
            'its encryption context or the KMS key does not match the ones it was generated with',
          { cause: err },
        );
      }
      throw err;
    }
  }
}
