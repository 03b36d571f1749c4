import { randomBytes } from 'node:crypto';
import {
  DecryptCommand,
  DecryptCommandInput,
  GenerateDataKeyCommand,
  GenerateDataKeyCommandInput,
  IncorrectKeyException,
  InvalidCiphertextException,
  KMSClient,
} from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';

interface IssuedKey {
  readonly plaintext: Uint8Array;
  readonly keyId: string;
  readonly context: Record<string, string>;
}

/**
 * A stateful stand-in for KMS on one `KMSClient`: `GenerateDataKey` returns a random
 * 32-byte key and an opaque blob that only this fake can map back; `Decrypt` returns the
 * key only for that blob with exactly the encryption context (and key id) it was issued
 * with, and otherwise throws `InvalidCiphertextException` (or `IncorrectKeyException`) as
 * KMS does. It counts calls and records every encryption context it sees.
 */
export class FakeKms {
  /** The client to hand to `KmsKeySource`. */
  public readonly client = new KMSClient({ region: 'us-east-1', credentials: { accessKeyId: 'fake', secretAccessKey: 'fake' } });
  /** Calls so far, by operation. */
  public readonly calls = { generateDataKey: 0, decrypt: 0 };
  /** Every encryption context passed to either operation, in order. */
  public readonly contexts: Record<string, string>[] = [];
  private readonly issued = new Map<string, IssuedKey>();

  constructor() {
    const mock = mockClient(this.client);
    mock.on(GenerateDataKeyCommand).callsFake((input: GenerateDataKeyCommandInput) => this.generateDataKey(input));
    mock.on(DecryptCommand).callsFake((input: DecryptCommandInput) => this.decrypt(input));
  }

  /** Total KMS calls so far. */
  public get total(): number {
    return this.calls.generateDataKey + this.calls.decrypt;
  }

  /** Zeroes the call counters (issued keys stay valid). */
  public resetCounts(): void {
    this.calls.generateDataKey = 0;
    this.calls.decrypt = 0;
    this.contexts.length = 0;
  }

  private generateDataKey(input: GenerateDataKeyCommandInput) {
    this.calls.generateDataKey++;
    const context = { ...(input.EncryptionContext ?? {}) };
    this.contexts.push(context);
    if (input.KeySpec !== 'AES_256') throw new Error(`FakeKms supports KeySpec AES_256 only, got ${input.KeySpec}`);
    const plaintext = new Uint8Array(randomBytes(32));
    const blob = new Uint8Array(randomBytes(64));
    this.issued.set(Buffer.from(blob).toString('hex'), { plaintext, keyId: String(input.KeyId), context });
    return { KeyId: input.KeyId, Plaintext: Uint8Array.from(plaintext), CiphertextBlob: blob };
  }

  private decrypt(input: DecryptCommandInput) {
    this.calls.decrypt++;
    const context = { ...(input.EncryptionContext ?? {}) };
    this.contexts.push(context);
    const issued = input.CiphertextBlob && this.issued.get(Buffer.from(input.CiphertextBlob).toString('hex'));
    if (!issued || !sameContext(issued.context, context)) {
      throw new InvalidCiphertextException({ message: 'The ciphertext or encryption context is invalid', $metadata: { httpStatusCode: 400 } });
    }
    if (input.KeyId !== undefined && input.KeyId !== issued.keyId) {
      throw new IncorrectKeyException({ message: 'The key ID in the request does not identify the key that encrypted the ciphertext', $metadata: { httpStatusCode: 400 } });
    }
    return { KeyId: issued.keyId, Plaintext: Uint8Array.from(issued.plaintext), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' as const };
  }
}

function sameContext(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && a[k] === b[k]);
}
