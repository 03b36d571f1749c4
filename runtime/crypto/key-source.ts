/**
 * What a tenant's data key is bound to. KMS receives it as the encryption context (and
 * logs it in CloudTrail); the local key source authenticates it as associated data.
 */
export interface EncryptionContext {
  /** The app key. */
  readonly app: string;
  /** The realm that holds the tenant. */
  readonly realm: string;
  /** The tenant id (Connect `clientKey`). */
  readonly tenant: string;
}

/** A data key: the plaintext to encrypt with, and the same key wrapped for storage. */
export interface DataKey {
  /** The 32-byte AES-256 key. Keep it in memory only. */
  readonly plaintext: Uint8Array;
  /** The key encrypted under the key source's master key, bound to its encryption context. */
  readonly wrapped: Uint8Array;
}

/** Wraps and unwraps per-tenant data keys; KMS in Lambda, a local AES key in dev mode. */
export interface KeySource {
  /** A fresh data key bound to `context`. */
  generateDataKey(context: EncryptionContext): Promise<DataKey>;
  /** The plaintext of `wrapped`; fails unless `context` is the one it was generated with. */
  unwrap(wrapped: Uint8Array, context: EncryptionContext): Promise<Uint8Array>;
}

/**
 * A wrapped data key that did not unwrap: the wrapped bytes or the encryption context
 * do not match the ones the key was generated with, or another master key wrapped it.
 */
export class DataKeyError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DataKeyError';
  }
}
