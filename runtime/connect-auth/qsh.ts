import { createHash, hash } from 'node:crypto';
import { AuthError } from './auth-error';
import { appendCanonicalQuery } from './canonical-query';
import { type QueryParam, queryParams, queryParamsInPlace } from './query-params';
import { plainPathEnd, splitUrl } from './url-parts';

/** The qsh of a context token (from the app's iframe), which binds it to no request. */
export const CONTEXT_QSH = 'context-qsh';

/**
 * The query string hash (qsh) of a request: hex SHA-256 of its canonical form
 * `METHOD&PATH&QUERY`, equal to atlassian-jwt's
 * `createQueryStringHash(fromMethodAndUrl(method, url), false, baseUrl)`.
 *
 * @param method the HTTP method, in any case
 * @param url the request path and query as received (`requestUrl(req)`), including any `jwt` parameter
 * @param baseUrl the app's base URL; its path (such as `/app`) is removed from the front of the request path
 * @throws AuthError (401) for a URL that names a host or a query that cannot be percent-encoded
 */
export function computeQsh(method: string, url: string, baseUrl?: string): string {
  return sha256Hex(canonicalRequest(method, url, baseUrl));
}

// One-shot crypto.hash (Node >= 20.12) is twice as fast as createHash for short input.
const sha256Hex: (text: string) => string =
  typeof hash === 'function' ? (text) => hash('sha256', text, 'hex') : (text) => createHash('sha256').update(text).digest('hex');

/**
 * The canonical request `METHOD&PATH&QUERY` that the qsh hashes.
 *
 * @param knownJwt a text that holds only base64url characters and dots (the verified token):
 *   a `jwt` query value equal to it need not be read
 */
export function canonicalRequest(method: string, url: string, baseUrl?: string, knownJwt?: string): string {
  let pathname: string | undefined;
  let params: QueryParam[] | undefined;
  // The common case, read in place (nothing sliced out of the URL first), when url.parse
  // would read it on its fast path too.
  const pathEnd = plainPathEnd(url);
  if (pathEnd >= 0) {
    pathname = url.slice(0, pathEnd);
    params = pathEnd < url.length ? queryParamsInPlace(url, pathEnd + 1, knownJwt) : [];
  }
  if (params === undefined) {
    const parts = splitUrl(url);
    pathname = parts.pathname;
    params = parts.query === undefined ? [] : queryParams(parts.query);
  }
  // Joined once into a flat string, which hashing then reads without flattening a rope.
  const out = [method.toUpperCase(), canonicalPath(pathname, basePathOf(baseUrl))];
  appendCanonicalQuery(out, params);
  if (out.length === 2) out.push('');
  return out.join('&');
}

/**
 * Refuses (AuthError 401) a claimed qsh that is missing, is `context-qsh` where that is not
 * allowed, or is not the request's qsh. Call it only once the token's signature is verified.
 *
 * @param verifiedToken the token whose signature was verified (so it holds only base64url
 *   characters and dots), which spares reading it again where it is the `jwt` query value
 */
export function checkQsh(
  claimed: unknown,
  request: { method: string; url: string },
  baseUrl: string | undefined,
  allowContextQsh: boolean,
  verifiedToken?: string,
): void {
  if (typeof claimed !== 'string' || claimed === '') throw new AuthError('missing qsh');
  if (claimed === CONTEXT_QSH) {
    if (allowContextQsh) return;
    throw new AuthError('context-qsh not allowed');
  }
  let expected: string;
  try {
    expected = sha256Hex(canonicalRequest(request.method, request.url, baseUrl, verifiedToken));
  } catch (error) {
    throw error instanceof AuthError ? error : new AuthError('malformed request');
  }
  // A plain comparison leaks nothing: the signature over `claimed` has been verified, and
  // both values are known to whoever holds the token.
  if (claimed !== expected) throw new AuthError('qsh mismatch');
}

function canonicalPath(pathname: string | undefined, basePath: string): string {
  // A plain string prefix, as in atlassian-jwt: base `/app` also strips the front of `/application`.
  let path = pathname !== undefined && pathname.startsWith(basePath) ? pathname.slice(basePath.length) : pathname;
  if (!path) return '/';
  if (path.includes('&')) path = path.replace(/&/g, '%26');
  if (path.charCodeAt(0) !== 0x2f) path = `/${path}`;
  if (path.length > 1 && path.charCodeAt(path.length - 1) === 0x2f) path = path.slice(0, -1);
  return path;
}

// jsuri's parser, which atlassian-jwt uses to find the base URL's path.
const URI = /^(?:(?![^:@]+:[^:@\/]*@)([^:\/?#.]+):)?(?:\/\/)?((?:(([^:@\/]*)(?::([^:@]*))?)?@)?(\[[0-9a-fA-F:.]+\]|[^:\/?#]*)(?::(\d+|(?=:)))?(:)?)((((?:[^?#](?![^?#\/]*\.[^?#\/.]+(?:[?#]|$)))*\/?)?([^?#\/]*))(?:\?([^#]*))?(?:#(.*))?)/;
let lastBaseUrl: string | undefined;
let lastBasePath = '';

/** The path of the app's base URL as atlassian-jwt finds it (`/app` of `https://x.example/app`), or ''. */
export function basePathOf(baseUrl: string | undefined): string {
  if (baseUrl !== lastBaseUrl) {
    lastBasePath = baseUrl ? (URI.exec(baseUrl)?.[10] ?? '') : '';
    lastBaseUrl = baseUrl;
  }
  return lastBasePath;
}
