import { AuthError } from './auth-error';
import { randomBytes } from 'node:crypto';
import { decodeHs256, verifyHs256 } from './jws';
import { checkLifetime, timing } from './lifetime';
import { checkQsh } from './qsh';
import { isTenantId } from '../tenants/item-keys';

// A per-process random secret: a token "verified" under it for an unknown issuer never passes.
const UNKNOWN_ISSUER_KEY = randomBytes(32).toString('base64url');

/** The claims of a verified Connect JWT. */
export interface ConnectClaims {
  /** The tenant's clientKey. */
  iss: string;
  /** The user's account id, when a user made the request. */
  sub?: string;
  /** Issued at, seconds since the epoch. */
  iat: number;
  /** Expires at, seconds since the epoch. */
  exp: number;
  /** The query string hash the token is bound to, or `context-qsh`. */
  qsh: string;
  /** Not before, seconds since the epoch. */
  nbf?: number;
  /** Audience, present on signed install tokens. */
  aud?: string | string[];
  /** Product context of a context token. */
  context?: unknown;
  [claim: string]: unknown;
}

/** How `verifyConnectJwt` finds secrets and what it accepts. */
export interface VerifyConnectOptions {
  /** The tenant's shared secret by clientKey; undefined for an unknown or uninstalled tenant (refused, 401). */
  secretFor: (clientKey: string) => Promise<string | undefined>;
  /** The current time in milliseconds. @default Date.now */
  now?: () => number;
  /** Accept `qsh: "context-qsh"` (iframe context tokens); only for routes declared for them. @default false */
  allowContextQsh?: boolean;
  /** Clock skew, in seconds (>= 0), allowed on `exp`, `iat` and `nbf`. @default 30 */
  leewaySeconds?: number;
  /** The app's base URL, whose path is not part of the qsh. @default no base path */
  baseUrl?: string;
}

/**
 * Verifies a Connect JWT (HS256 with the tenant's shared secret) for `request` and returns
 * its claims. Only `iss` is read before the signature is checked (it picks the secret), and
 * it must be a storable clientKey (1 to 512 UTF-8 bytes, no control character) before the
 * secret is looked up. A lifetime (`exp - iat`) over 15 minutes plus leeway is refused.
 * Every refusal is an AuthError with status 401 and a `reason` for the log; an error from
 * `secretFor` itself (the store is down) passes through unchanged.
 *
 * @param request the method and the path + query as received (`requestUrl(req)`)
 */
export async function verifyConnectJwt(token: string, request: { method: string; url: string }, options: VerifyConnectOptions): Promise<ConnectClaims> {
  // Hand-written with node:crypto, not jose: jose's WebCrypto HS256 takes ~100 µs a token.
  const jws = decodeHs256(token);
  const { iss } = jws.payload;
  if (typeof iss !== 'string' || iss === '') throw new AuthError('missing iss');
  // Checked before the store sees it: the store throws on an id it cannot hold (a 500, not a 401).
  if (!isTenantId(iss)) throw new AuthError('iss not a clientKey (over 512 bytes or a control character)');
  const secret = await options.secretFor(iss);
  if (secret === undefined || secret === '') {
    // The same work as a known issuer's bad signature: one HMAC and compare, under a key nobody holds.
    verifyHs256(jws, UNKNOWN_ISSUER_KEY, 'unknown issuer');
    throw new AuthError('unknown issuer');
  }
  verifyHs256(jws, secret);
  const claims = jws.payload;
  // So that the returned claims are what ConnectClaims says they are.
  if (claims.sub !== undefined && typeof claims.sub !== 'string') throw new AuthError('malformed sub');
  const { nowSeconds, leeway } = timing(options);
  checkLifetime(claims, nowSeconds, leeway);
  checkQsh(claims.qsh, request, options.baseUrl, options.allowContextQsh ?? false, token);
  return claims as ConnectClaims;
}
