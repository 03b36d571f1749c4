import { createRemoteJWKSet, decodeProtectedHeader, JWTPayload, jwtVerify, JWTVerifyGetKey } from 'jose';
import type { AppRequest } from '../http/request';
import { AuthError } from './auth-error';
import { joseRefusalReason } from './jose-reason';
import { timing } from './lifetime';
import { MAX_TOKEN_BYTES } from './token';

/** The issuer of every Forge Invocation Token. */
export const FORGE_INVOCATION_ISSUER = 'forge/invocation-token';

/** Where Forge publishes the keys that sign its invocation tokens (production). */
export const FORGE_JWKS_URL = 'https://forge.cdn.prod.atlassian-dev.net/.well-known/jwks.json';

const APP_ARI_PREFIX = 'ari:cloud:ecosystem::app/';
const BEARER = /^Bearer +(\S+) *$/i;

/** The claims of a verified Forge Invocation Token that the app relies on. */
export interface ForgeInvocationClaims extends JWTPayload {
  readonly iss: typeof FORGE_INVOCATION_ISSUER;
  readonly exp: number;
  /** The invoked app and installation. */
  readonly app: {
    /** The app's ARI. */
    readonly id?: string;
    /** The installation (the tenant). */
    readonly installationId: string;
    /** The product site's API base URL (where the request's OAuth tokens call Atlassian's APIs). */
    readonly apiBaseUrl?: string;
    /** The module that invoked the remote (`app.module.key`: what a route's `forgeModules` name). */
    readonly module?: { readonly key?: string; readonly type?: string };
    readonly [claim: string]: unknown;
  };
  /** The product context (`context.cloudId`, ...), as far as Forge sends it. */
  readonly context?: { readonly cloudId?: string; readonly [claim: string]: unknown };
  /** The Atlassian account id of the user, when a user invoked the app. */
  readonly principal?: string;
}

/** Options of {@link verifyForgeInvocationToken}. */
export interface VerifyForgeOptions {
  /** The Forge app id (a UUID) or its ARI `ari:cloud:ecosystem::app/<id>`: the token's required `aud`. */
  readonly appId: string;
  /** The signing keys: `forgeKeySet()` when deployed, `createLocalJWKSet(jwks)` in tests. */
  readonly keys: JWTVerifyGetKey;
  /** The current time in milliseconds. @default Date.now */
  readonly now?: () => number;
  /** Clock skew, in seconds, allowed on `exp` and `nbf`. @default 30 */
  readonly leewaySeconds?: number;
}

/**
 * The audience Forge puts in the invocation tokens of an app.
 * @throws TypeError when `appId` is neither a plain id nor an app ARI
 */
export function forgeAudience(appId: string): string {
  const id = typeof appId === 'string' && appId.startsWith(APP_ARI_PREFIX) ? appId.slice(APP_ARI_PREFIX.length) : appId;
  if (typeof id !== 'string' || !/^[A-Za-z0-9-]{1,64}$/.test(id)) {
    throw new TypeError(`A Forge app id must be a plain id or ${APP_ARI_PREFIX}<id>, got ${JSON.stringify(appId)}`);
  }
  return `${APP_ARI_PREFIX}${id}`;
}

/**
 * The signing keys of Forge Invocation Tokens, fetched from Forge's JWKS and cached by
 * jose (a key id not seen before triggers at most one refetch per cooldown).
 */
export function forgeKeySet(url: string = FORGE_JWKS_URL): JWTVerifyGetKey {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:') throw new TypeError(`The Forge JWKS URL must be https, got ${url}`);
  return createRemoteJWKSet(parsed, { timeoutDuration: 3000, cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
}

/**
 * The Forge Invocation Token of a request: `Authorization: Bearer <token>`, the only place
 * Forge puts it.
 * @throws AuthError (401) when there is none
 */
export function extractForgeToken(req: AppRequest): string {
  const match = BEARER.exec(req.headers.authorization ?? '');
  if (!match) throw new AuthError('no token');
  return match[1]!;
}

/**
 * Verifies a Forge Invocation Token: RS256 under a key of the key set, `iss`
 * `forge/invocation-token`, `aud` this app's ARI, `exp` (and `nbf` when present) within
 * the leeway, and an `app.installationId` naming the tenant. Every refusal is an
 * AuthError with status 401 whose reason is named as the Connect refusals are.
 */
export async function verifyForgeInvocationToken(token: string, options: VerifyForgeOptions): Promise<ForgeInvocationClaims> {
  if (typeof token !== 'string') throw new AuthError('malformed token');
  if (token.length > MAX_TOKEN_BYTES) throw new AuthError('token too large');
  let alg: unknown;
  try {
    alg = decodeProtectedHeader(token).alg;
  } catch {
    throw new AuthError('malformed token');
  }
  if (alg !== 'RS256') throw new AuthError('alg not RS256');
  const audience = forgeAudience(options.appId);
  const { nowSeconds, leeway } = timing(options);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, options.keys, {
      algorithms: ['RS256'],
      issuer: FORGE_INVOCATION_ISSUER,
      audience,
      clockTolerance: leeway,
      currentDate: new Date(nowSeconds * 1000),
      requiredClaims: ['iss', 'aud', 'exp'],
    }));
  } catch (error) {
    throw new AuthError(joseRefusalReason(error));
  }
  const app = payload.app as { installationId?: unknown } | undefined;
  const installationId = app?.installationId;
  if (typeof installationId !== 'string' || installationId === '' || installationId.length > 512) throw new AuthError('missing app.installationId');
  if (payload.principal !== undefined && typeof payload.principal !== 'string') throw new AuthError('malformed principal');
  const { module, apiBaseUrl } = app as { module?: { key?: unknown }; apiBaseUrl?: unknown };
  if (module !== undefined && (typeof module !== 'object' || module === null || (module.key !== undefined && typeof module.key !== 'string'))) throw new AuthError('malformed app.module');
  // The API base URL becomes the tenant's site and an egress target: only https URLs.
  if (apiBaseUrl !== undefined && !(typeof apiBaseUrl === 'string' && /^https:\/\/[^\s/?#@]+(\/[^\s?#]*)?$/.test(apiBaseUrl) && apiBaseUrl.length <= 1024)) throw new AuthError('malformed app.apiBaseUrl');
  return payload as ForgeInvocationClaims;
}
