import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

// node:crypto AES-256-GCM rather than the AWS Encryption SDK: its message format embeds the
// wrapped data key in every ciphertext, so deleting one wrapped key would no longer
// crypto-shred a tenant; it would also add bundle weight to every function.

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * A sealed value that cannot be opened: malformed, of an unknown format version, or
 * failing authentication (wrong key, wrong associated data, or tampered). The message
 * never contains the sealed value or the key.
 */
export class SealedValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealedValueError';
  }
}

/**
 * Encrypts `plaintext` with AES-256-GCM under `dataKey` (32 bytes) and a random 96-bit IV,
 * authenticating `aad` as associated data. Returns the compact string
 * `v1.<iv>.<ciphertext+tag>` (base64url parts), which only {@link open} with the same key
 * and `aad` turns back into the plaintext.
 */
export function seal(plaintext: Uint8Array | string, dataKey: Uint8Array, aad: string): string {
  checkKey(dataKey);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
  const body = Buffer.concat([cipher.update(data), cipher.final(), cipher.getAuthTag()]);
  return `${VERSION}.${iv.toString('base64url')}.${body.toString('base64url')}`;
}

/**
 * Decrypts a value made by {@link seal}. Throws {@link SealedValueError} when the value
 * is malformed, has another format version, or does not authenticate under `dataKey`
 * and `aad`: it never returns garbage.
 */
export function open(sealed: string, dataKey: Uint8Array, aad: string): Uint8Array {
  checkKey(dataKey);
  const parts = typeof sealed === 'string' ? sealed.split('.') : [];
  if (parts.length !== 3) {
    throw new SealedValueError(`Sealed value is malformed: expected "${VERSION}.<iv>.<ciphertext>"`);
  }
  const [version, ivText, bodyText] = parts as [string, string, string];
  if (version !== VERSION) {
    throw new SealedValueError(`Sealed value has format version "${version.slice(0, 8)}", expected "${VERSION}"`);
  }
  const iv = decodePart(ivText);
  const body = decodePart(bodyText);
  if (iv.length !== IV_BYTES || body.length < TAG_BYTES) {
    throw new SealedValueError(`Sealed value is malformed: the IV must be ${IV_BYTES} bytes and the ciphertext at least ${TAG_BYTES}`);
  }
  const decipher = createDecipheriv('aes-256-gcm', dataKey, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
  try {
    return new Uint8Array(Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]));
  } catch {
    throw new SealedValueError('Sealed value did not open: wrong key, wrong associated data, or tampered');
  }
}

function decodePart(text: string): Buffer {
  // Buffer.from(..., 'base64url') skips invalid characters silently; refuse them instead.
  if (!BASE64URL.test(text)) throw new SealedValueError('Sealed value is malformed: a part is not base64url');
  return Buffer.from(text, 'base64url');
}

function checkKey(dataKey: Uint8Array): void {
  if (!(dataKey instanceof Uint8Array) || dataKey.length !== KEY_BYTES) {
    throw new RangeError(`A data key must be ${KEY_BYTES} bytes (AES-256), got ${dataKey instanceof Uint8Array ? dataKey.length : typeof dataKey}`);
  }
}
