import { connectRequestToken } from './connect-request-token';
import { EgressRefusal, checkEgressTarget } from './egress-target';
import { EgressSender } from './egress-messages';
import { AtlassianEgressError, AtlassianPermissionError } from './errors';

/** A request to the tenant's Atlassian product, as `fetch` takes one (a smaller set). */
export interface AtlassianRequestInit {
  /** The method. @default 'GET' */
  readonly method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Headers to send; `authorization` and `host` are the toolkit's and refused here. @default - `accept: application/json` */
  readonly headers?: Readonly<Record<string, string>>;
  /** The body as is. */
  readonly body?: string | Uint8Array;
  /** A value sent as JSON (with `content-type: application/json`), instead of `body`. */
  readonly json?: unknown;
}

/** The product's answer (any status but 403, which is an {@link AtlassianPermissionError}; a 3xx is never followed). */
export interface AtlassianResponse {
  /** The HTTP status. */
  readonly status: number;
  /** Whether the status is 2xx. */
  readonly ok: boolean;
  /** Lower-case response headers (no `set-cookie`). */
  readonly headers: Readonly<Record<string, string>>;
  /** The body bytes. */
  readonly body: Buffer;
  /** The body as UTF-8 text. */
  text(): string;
  /** The body parsed as JSON. @throws SyntaxError when it is not JSON */
  json<T = unknown>(): T;
}

/**
 * Calls to the current tenant's Atlassian product (`tenant.atlassian`), made through the
 * realm's egress path: only to the tenant's own site, only over https, never following a
 * redirect. `request` acts as the app; `asUser()` as the user of the current request (Forge's
 * `x-forge-oauth-user` token). The OAuth tokens and the Connect JWT exist for one call and are
 * never stored or logged.
 */
export interface AtlassianApi {
  /**
   * Sends one request to `pathOrUrl`: a path below the tenant's site (`/rest/api/3/myself`;
   * on Forge below the token's `app.apiBaseUrl`), or an absolute URL under it.
   * @throws AtlassianPermissionError when the product answers 403
   * @throws AtlassianEgressError when the call is refused, times out, is too large, cannot connect or has no token
   */
  request(pathOrUrl: string, init?: AtlassianRequestInit): Promise<AtlassianResponse>;
  /** The same calls as the app: Connect's JWT, Forge's app system token (`forgeTokens.appSystemToken`). */
  asApp(): AtlassianApi;
  /** The same calls as the current user: Forge's user token (`forgeTokens.appUserToken`); Connect has none. */
  asUser(): AtlassianApi;
}

/** How a tenant's calls authenticate. */
export type AtlassianCredentials =
  | { readonly kind: 'connect'; readonly appKey: string; readonly sharedSecret: () => Promise<string | undefined> }
  | { readonly kind: 'forge'; readonly systemToken?: string; readonly userToken?: string };

/** What {@link atlassianApi} builds on. */
export interface AtlassianApiSources {
  /** The tenant's site (`tenant.site`): the only place calls go. */
  readonly site: string;
  /** How calls authenticate. */
  readonly credentials: AtlassianCredentials;
  /** The egress path. @default - none: every call fails with `not-configured` */
  readonly egress?: EgressSender;
  /** Clock in milliseconds (Connect token `iat`). @default Date.now */
  readonly now?: () => number;
}

/** The `tenant.atlassian` of one request. */
export function atlassianApi(sources: AtlassianApiSources): AtlassianApi {
  const as = (who: 'app' | 'user'): AtlassianApi => ({
    request: (pathOrUrl, init) => send(sources, who, pathOrUrl, init ?? {}),
    asApp: () => as('app'),
    asUser: () => as('user'),
  });
  return as('app');
}

async function send(s: AtlassianApiSources, who: 'app' | 'user', pathOrUrl: string, init: AtlassianRequestInit): Promise<AtlassianResponse> {
  const method = init.method ?? 'GET';
  const target = targetOf(s.site, pathOrUrl);
  const headers: Record<string, string> = { accept: 'application/json' };
  for (const [name, value] of Object.entries(init.headers ?? {})) {
    if (/^(authorization|host)$/i.test(name)) throw new AtlassianEgressError('refused', `header ${name} is set by the toolkit`);
    headers[name.toLowerCase()] = value;
  }
  let body: Buffer | undefined;
  if (init.json !== undefined) {
    if (init.body !== undefined) throw new AtlassianEgressError('refused', 'give body or json, not both');
    body = Buffer.from(JSON.stringify(init.json));
    headers['content-type'] = 'application/json';
  } else if (init.body !== undefined) body = Buffer.from(init.body);
  headers.authorization = await authorizationOf(s, who, method, target);
  if (!s.egress) throw new AtlassianEgressError('not-configured', 'this app host has no egress path (the realm stack adds AtlassianEgress)');
  const answer = await s.egress.send({ site: s.site, method, url: target.href, headers, ...(body ? { body: body.toString('base64') } : {}) });
  if ('failure' in answer) throw new AtlassianEgressError(answer.failure, answer.reason);
  if (answer.status === 403) throw new AtlassianPermissionError(method, target.pathname);
  const bytes = Buffer.from(answer.body, 'base64');
  return {
    status: answer.status,
    ok: answer.status >= 200 && answer.status < 300,
    headers: answer.headers,
    body: bytes,
    text: () => bytes.toString('utf8'),
    json: <T>() => JSON.parse(bytes.toString('utf8')) as T,
  };
}

function targetOf(site: string, pathOrUrl: string): URL {
  if (typeof pathOrUrl !== 'string' || pathOrUrl === '') throw new AtlassianEgressError('refused', 'expected a path starting with "/" or an https URL');
  const url = pathOrUrl.startsWith('/') ? `${site.replace(/\/+$/, '')}${pathOrUrl}` : pathOrUrl;
  try {
    return checkEgressTarget(url, site);
  } catch (error) {
    throw error instanceof EgressRefusal ? new AtlassianEgressError('refused', error.message) : error;
  }
}

async function authorizationOf(s: AtlassianApiSources, who: 'app' | 'user', method: string, target: URL): Promise<string> {
  const c = s.credentials;
  if (c.kind === 'forge') {
    const token = who === 'user' ? c.userToken : c.systemToken;
    if (!token) {
      throw new AtlassianEgressError('no-token', `this request carries no ${who === 'user' ? 'x-forge-oauth-user' : 'x-forge-oauth-system'} token: set forgeTokens.${who === 'user' ? 'appUserToken' : 'appSystemToken'} on the route`);
    }
    return `Bearer ${token}`;
  }
  if (who === 'user') throw new AtlassianEgressError('no-token', 'a Connect app calls as itself (JWT); acting as a user needs OAuth 2.0 impersonation, which the toolkit does not do');
  const sharedSecret = await c.sharedSecret();
  if (!sharedSecret) throw new AtlassianEgressError('no-token', 'the tenant has no shared secret (uninstalled or shredded)');
  return `JWT ${connectRequestToken({ appKey: c.appKey, sharedSecret, method, url: target, site: s.site, nowSeconds: Math.floor((s.now ?? Date.now)() / 1000) })}`;
}
