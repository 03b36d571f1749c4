import { LRUCache } from 'lru-cache';
import { AuthError } from './auth-error';
import { equalConstantTime } from './constant-time';
import { HmacSha256 } from './hmac-sha256';
import { MAX_TOKEN_BYTES } from './token';

/** A compact HS256 JWS whose header has been checked and payload parsed, signature not yet verified. */
export interface UnverifiedHs256 {
  /** The parsed payload: a JSON object, not yet trusted. */
  readonly payload: Record<string, unknown>;
  /** The token, kept to verify its signature. */
  readonly token: string;
  /** Index of the second `.`, where the signing input ends. */
  readonly signedEnd: number;
}

// A base64url segment without padding. The signature segment is not matched against it:
// it must equal the one canonical text of the expected signature.
const SEGMENT = /^[A-Za-z0-9_-]+$/;
// The two headers atlassian-jwt and most libraries write, known good without parsing:
// {"typ":"JWT","alg":"HS256"} and {"alg":"HS256","typ":"JWT"}.
const STANDARD_HEADERS = ['eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9', 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9'] as const;
// Segments are decoded into this buffer, then copied out as a string at once (synchronously),
// which spares a Buffer object per segment. No accepted token has a longer segment.
const scratch = Buffer.alloc(Math.ceil((MAX_TOKEN_BYTES * 3) / 4));

/**
 * Checks the form of a compact JWS and its header (alg exactly HS256, typ JWT if present,
 * no `crit`) and parses its payload, refusing anything else with AuthError 401.
 * The payload is not trusted until `verifyHs256` has checked the signature.
 */
export function decodeHs256(token: unknown): UnverifiedHs256 {
  if (typeof token !== 'string') throw new AuthError('malformed token');
  // Characters, not bytes: any token accepted is ASCII (base64url and dots), so the two agree.
  if (token.length > MAX_TOKEN_BYTES) throw new AuthError('token too large');
  const dot1 = token.indexOf('.');
  const dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
  if (dot2 < 0 || token.indexOf('.', dot2 + 1) >= 0) throw new AuthError('malformed token');
  // Compared as a slice: String.prototype.startsWith is several times slower here.
  const headerSegment = token.slice(0, dot1);
  if (headerSegment !== STANDARD_HEADERS[0] && headerSegment !== STANDARD_HEADERS[1]) checkHeader(parseSegment(headerSegment, 'header'));
  const payload = parseSegment(token.slice(dot1 + 1, dot2), 'payload');
  return { payload, token, signedEnd: dot2 };
}

/**
 * Verifies the HMAC-SHA256 signature in constant time, refusing a mismatch with AuthError 401.
 * The expected signature is compared as its one canonical base64url text (43 characters, no
 * padding, spare bits zero), so no other spelling of the same bytes is accepted.
 * `refusal` is the AuthError's reason.
 */
export function verifyHs256(jws: UnverifiedHs256, secret: string, refusal = 'bad signature'): void {
  // The signing input is ASCII: decodeHs256 accepted only base64url segments and dots.
  const expected = keyFor(secret).base64url(jws.token.slice(0, jws.signedEnd));
  if (!equalConstantTime(jws.token.slice(jws.signedEnd + 1), expected)) throw new AuthError(refusal);
}

function checkHeader(header: Record<string, unknown>): void {
  if (header.alg !== 'HS256') throw new AuthError('alg not HS256');
  if (header.typ !== undefined && header.typ !== 'JWT') throw new AuthError('typ not JWT');
  if (header.crit !== undefined) throw new AuthError('crit not supported');
}

function parseSegment(segment: string, name: 'header' | 'payload'): Record<string, unknown> {
  // Buffer quietly skips characters outside the alphabet, and drops the extra character of
  // a length 1 mod 4 (never valid base64); both are refused first.
  if (!SEGMENT.test(segment) || segment.length % 4 === 1) throw new AuthError(`malformed ${name}`);
  let value: unknown;
  try {
    value = JSON.parse(scratch.toString('utf8', 0, scratch.write(segment, 0, 'base64url')));
  } catch {
    throw new AuthError(`malformed ${name}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new AuthError(`${name} not an object`);
  return value as Record<string, unknown>;
}

// Pads per secret save re-deriving them on every request; results are never cached.
const keys = new LRUCache<string, HmacSha256>({ max: 1024 });

function keyFor(secret: string): HmacSha256 {
  let key = keys.get(secret);
  if (key === undefined) {
    key = new HmacSha256(Buffer.from(secret, 'utf8'));
    keys.set(secret, key);
  }
  return key;
}
