import { randomBytes } from 'node:crypto';
import { canonicalContext, describeContext } from './encryption-context';
import { DataKey, DataKeyError, EncryptionContext, KeySource } from './key-source';
import { open, seal } from './seal';

const KEY_BYTES = 32;

/**
 * Data keys wrapped by a local AES-256 master key (AES-256-GCM with the canonical
 * encryption context as associated data): for dev mode and tests, where there is no KMS.
 * Unwrapping with another context fails, as it does with KMS.
 */
export class LocalKeySource implements KeySource {
  /** A key source with a random master key, for one process's lifetime. */
  public static random(): LocalKeySource {
    return new LocalKeySource(randomBytes(KEY_BYTES));
  }

  private readonly masterKey: Uint8Array;

  constructor(masterKey: Uint8Array) {
    if (!(masterKey instanceof Uint8Array) || masterKey.length !== KEY_BYTES) {
      const got = masterKey instanceof Uint8Array ? `${masterKey.length} bytes` : typeof masterKey;
      throw new RangeError(`LocalKeySource needs a ${KEY_BYTES}-byte (AES-256) master key, got ${got}`);
    }
    this.masterKey = Uint8Array.from(masterKey);
  }

  /** A random AES-256 data key, wrapped under the master key and bound to `context`. */
  public async generateDataKey(context: EncryptionContext): Promise<DataKey> {
    const plaintext = new Uint8Array(randomBytes(KEY_BYTES));
    const wrapped = Buffer.from(seal(plaintext, this.masterKey, canonicalContext(context)), 'utf8');
    return { plaintext, wrapped: new Uint8Array(wrapped) };
  }

  /** The plaintext of `wrapped`; a {@link DataKeyError} unless it was wrapped here for `context`. */
  public async unwrap(wrapped: Uint8Array, context: EncryptionContext): Promise<Uint8Array> {
    const aad = canonicalContext(context);
    try {
      return open(Buffer.from(wrapped).toString('utf8'), this.masterKey, aad);
    } catch (err) {
      throw new DataKeyError(
        `The local key source could not unwrap the data key for ${describeContext(context)}: ` +
          'it was wrapped for another context or by another master key, or it is damaged',
        { cause: err },
      );
    }
  }
}
