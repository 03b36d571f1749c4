import { createHash, hash } from 'node:crypto';
import { AuthError } from './auth-error';
import { queryParams } from './query-params';
import { splitUrl } from './url-parts';

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

/** The canonical request `METHOD&PATH&QUERY` that the qsh hashes. */
export function canonicalRequest(method: string, url: string, baseUrl?: string): string {
  const { pathname, query } = splitUrl(url);
  return `${method.toUpperCase()}&${canonicalPath(pathname, basePathOf(baseUrl))}&${canonicalQuery(query)}`;
}

/**
 * Refuses (AuthError 401) a claimed qsh that is missing, is `context-qsh` where that is not
 * allowed, or is not the request's qsh. Call it only once the token's signature is verified.
 */
export function checkQsh(claimed: unknown, request: { method: string; url: string }, baseUrl: string | undefined, allowContextQsh: boolean): void {
  if (typeof claimed !== 'string' || claimed === '') throw new AuthError('missing qsh');
  if (claimed === CONTEXT_QSH) {
    if (allowContextQsh) return;
    throw new AuthError('context-qsh not allowed');
  }
  let expected: string;
  try {
    expected = computeQsh(request.method, request.url, baseUrl);
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

function canonicalQuery(query: string | undefined): string {
  if (!query) return '';
  const params = queryParams(query);
  const keys = [...params.keys()].sort();
  let out = '';
  for (const key of keys) {
    // atlassian-jwt drops `__proto__` (lodash copies it as an own key, then it is skipped).
    if (key === '__proto__') continue;
    const { values, canonical } = params.get(key)!;
    const encoded = canonical ?? (values.length === 1 ? encodeRfc3986(values[0]!) : values.sort().map(encodeRfc3986).join(','));
    out += `${out === '' ? '' : '&'}${encodeRfc3986(key)}=${encoded}`;
  }
  return out;
}

const UNRESERVED = /^[A-Za-z0-9._~-]*$/;
const SUB_DELIMS = /[!'()*]/g;
const SUB_DELIM_ESCAPES: Record<string, string> = { '!': '%21', "'": '%27', '(': '%28', ')': '%29', '*': '%2A' };

/** Percent-encodes all but RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`). */
function encodeRfc3986(value: string): string {
  if (UNRESERVED.test(value)) return value;
  let encoded: string;
  try {
    encoded = encodeURIComponent(value);
  } catch {
    throw new AuthError('query not encodable'); // a lone surrogate; atlassian-jwt throws a URIError
  }
  return encoded.replace(SUB_DELIMS, (c) => SUB_DELIM_ESCAPES[c]!);
}

// jsuri's parser, which atlassian-jwt uses to find the base URL's path.
const URI = /^(?:(?![^:@]+:[^:@\/]*@)([^:\/?#.]+):)?(?:\/\/)?((?:(([^:@\/]*)(?::([^:@]*))?)?@)?(\[[0-9a-fA-F:.]+\]|[^:\/?#]*)(?::(\d+|(?=:)))?(:)?)((((?:[^?#](?![^?#\/]*\.[^?#\/.]+(?:[?#]|$)))*\/?)?([^?#\/]*))(?:\?([^#]*))?(?:#(.*))?)/;
let lastBaseUrl: string | undefined;
let lastBasePath = '';

function basePathOf(baseUrl: string | undefined): string {
  if (baseUrl !== lastBaseUrl) {
    lastBasePath = baseUrl ? (URI.exec(baseUrl)?.[10] ?? '') : '';
    lastBaseUrl = baseUrl;
  }
  return lastBasePath;
}
