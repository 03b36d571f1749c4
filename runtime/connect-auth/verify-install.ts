import { decodeProtectedHeader, importSPKI, jwtVerify, type JWTPayload } from 'jose';
import { AuthError } from './auth-error';
import { joseRefusalReason } from './jose-reason';
import { isPlainKid } from './install-keys';
import { checkLifetime, timing } from './lifetime';
import { checkQsh } from './qsh';
import { isTenantId } from '../tenants/item-keys';
import { MAX_TOKEN_BYTES } from './token';
import type { ConnectClaims } from './verify-connect';

/** The claims of a verified signed install (or uninstall) token. */
export interface InstallClaims extends ConnectClaims {
  /** The app base URL the token was issued for: one of `VerifyInstallOptions.audiences`. */
  aud: string | string[];
}

/** Where `verifyInstallJwt` finds Atlassian's keys and what it accepts. */
export interface VerifyInstallOptions {
  /** The PEM (SPKI) public key Atlassian signs with under `kid`, such as `createInstallKeySource()`. */
  publicKeyFor: (kid: string) => Promise<string>;
  /** Every base URL of the app (Global and each realm); `aud` must be one of them. */
  audiences: readonly string[];
  /** When given, `iss` must equal it: the `clientKey` of the install body. */
  clientKey?: string;
  /** The current time in milliseconds. @default Date.now */
  now?: () => number;
  /** Clock skew, in seconds (>= 0), allowed on `exp`, `iat` and `nbf`. @default 30 */
  leewaySeconds?: number;
  /** The app's base URL, whose path is not part of the qsh. @default no base path */
  baseUrl?: string;
}

/**
 * Verifies the RS256 token Atlassian signs an `installed` or `uninstalled` request with:
 * a plain `kid` (checked before any key is fetched), Atlassian's key for it, `aud` one of
 * the app's base URLs, `iss` the install body's clientKey, and a real qsh for this request
 * (never `context-qsh`). Every refusal is an AuthError with status 401.
 */
export async function verifyInstallJwt(token: string, request: { method: string; url: string }, options: VerifyInstallOptions): Promise<InstallClaims> {
  if (typeof token !== 'string') throw new AuthError('malformed token');
  if (token.length > MAX_TOKEN_BYTES) throw new AuthError('token too large');
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw new AuthError('malformed token');
  }
  if (header.alg !== 'RS256') throw new AuthError('alg not RS256');
  if (typeof header.kid !== 'string' || !isPlainKid(header.kid)) throw new AuthError('kid not a plain id');

  const pem = await options.publicKeyFor(header.kid);
  let key: Awaited<ReturnType<typeof importSPKI>>;
  try {
    key = await importSPKI(pem, 'RS256');
  } catch {
    throw new AuthError('install key unusable');
  }
  const { nowSeconds, leeway } = timing(options);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, key, {
      algorithms: ['RS256'],
      audience: [...options.audiences],
      clockTolerance: leeway,
      currentDate: new Date(nowSeconds * 1000),
      requiredClaims: ['iss', 'iat', 'exp', 'qsh'],
    }));
  } catch (error) {
    throw new AuthError(joseRefusalReason(error));
  }
  checkLifetime(payload, nowSeconds, leeway); // jose leaves a future iat alone
  if (typeof payload.iss !== 'string' || payload.iss === '') throw new AuthError('missing iss');
  if (!isTenantId(payload.iss)) throw new AuthError('iss not a clientKey (over 512 bytes or a control character)');
  if (options.clientKey !== undefined && payload.iss !== options.clientKey) throw new AuthError('iss not the clientKey');
  checkQsh(payload.qsh, request, options.baseUrl, false);
  return payload as InstallClaims;
}
