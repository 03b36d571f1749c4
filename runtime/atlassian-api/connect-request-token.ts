import { createHmac } from 'node:crypto';
import { computeQsh } from '../connect-auth/qsh';

/** How long an outgoing Connect JWT is valid: one call, so three minutes as Atlassian's own libraries do. */
export const CONNECT_REQUEST_TOKEN_SECONDS = 180;

/**
 * The JWT a Connect app sends with a call to the tenant's product (`Authorization: JWT <token>`):
 * HS256 under the tenant's shared secret, `iss` the app key, `iat`/`exp`, and the call's qsh
 * (method, path below the site's base path, canonical query), as atlassian-jwt computes it.
 */
export function connectRequestToken(o: { appKey: string; sharedSecret: string; method: string; url: URL; site: string; nowSeconds: number }): string {
  const qsh = computeQsh(o.method, `${o.url.pathname}${o.url.search}`, o.site);
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64url(JSON.stringify({ iss: o.appKey, iat: o.nowSeconds, exp: o.nowSeconds + CONNECT_REQUEST_TOKEN_SECONDS, qsh }));
  const signature = createHmac('sha256', o.sharedSecret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

const base64url = (text: string) => Buffer.from(text).toString('base64url');
