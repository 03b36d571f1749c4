import { createHash, hash } from 'node:crypto';

const BLOCK = 64;
const ASCII = /^[\x00-\x7f]*$/;

/**
 * HMAC-SHA256 (RFC 2104) of ASCII text under one key, computed with two one-shot SHA-256
 * calls over precomputed pads. Why not createHmac: constructing Node's Hmac object is most
 * of its cost on a short token (measured on a 400-byte token: createHmac ~2.2 µs, this ~1.1 µs).
 * The result is the same bytes; the test compares it with createHmac on random keys and texts.
 */
export class HmacSha256 {
  // Inner pad (key XOR 0x36), copied in front of the text on each call.
  private readonly innerPad = Buffer.alloc(BLOCK);
  // Outer pad (key XOR 0x5c) followed by the 32-byte inner digest.
  private readonly outer = Buffer.alloc(BLOCK + 32);

  /** @param key the secret; one longer than the 64-byte block is hashed first, as RFC 2104 says */
  constructor(key: Buffer) {
    const block = Buffer.alloc(BLOCK);
    (key.length > BLOCK ? createHash('sha256').update(key).digest() : key).copy(block);
    for (let i = 0; i < BLOCK; i++) {
      this.innerPad[i] = block[i]! ^ 0x36;
      this.outer[i] = block[i]! ^ 0x5c;
    }
  }

  /** The base64url MAC of `text`, which must be ASCII (a RangeError otherwise, never a wrong MAC). */
  base64url(text: string): string {
    if (!ASCII.test(text)) throw new RangeError('text is not ASCII');
    if (scratch.length < BLOCK + text.length) scratch = Buffer.alloc(BLOCK + text.length);
    // Synchronous from here to the digest, so the shared scratch buffer cannot be overwritten meanwhile.
    this.innerPad.copy(scratch, 0);
    const end = BLOCK + scratch.write(text, BLOCK, 'latin1');
    // The inner digest as a 'binary' (latin1) string (one character a byte): Node allocates a string
    // output far more cheaply than a Buffer one.
    this.outer.write(sha256(scratch.subarray(0, end), 'binary'), BLOCK, 'latin1');
    return sha256(this.outer, 'base64url');
  }
}

// Holds the inner pad and the text; grown to the longest text seen.
let scratch = Buffer.alloc(BLOCK + 2048);

const sha256: (data: Buffer, encoding: 'binary' | 'base64url') => string =
  typeof hash === 'function' ? (data, encoding) => hash('sha256', data, encoding) : (data, encoding) => createHash('sha256').update(data).digest(encoding);
