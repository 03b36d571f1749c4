import { parse as parseQueryString } from 'node:querystring';
import type { AppRequest } from '../http/request';
import { AuthError } from './auth-error';

/** The longest token accepted, in bytes; longer ones are refused before any parsing. */
export const MAX_TOKEN_BYTES = 8192;

const FORM = 'application/x-www-form-urlencoded';
const JWT_SCHEME = /^JWT +(\S+) *$/i;
// Every pair is read: with querystring's default (1,000 pairs) a second `jwt` after them went unseen.
const ALL_PAIRS = { maxKeys: 0 };

/**
 * The Connect JWT of a request, from exactly one of: the `jwt` query parameter, a `jwt`
 * field of a form body (`application/x-www-form-urlencoded`), or `Authorization: JWT <token>`.
 *
 * Every pair of the query and the form is read (querystring's 1,000-pair limit is lifted).
 *
 * @throws AuthError (401) when there is no token, or more than one (even identical ones:
 *   an intermediary that adds a second token must not decide which one is read)
 */
export function extractToken(req: AppRequest): string {
  const found: string[] = [];
  // Parsed as the qsh parses it, so `j%77t=` is a token too (qsh would leave it out likewise).
  if (req.rawQuery !== '') collect(found, parseQueryString(req.rawQuery, '&', '=', ALL_PAIRS).jwt);
  collect(found, formBodyTokens(req));
  const authorization = req.headers.authorization;
  if (authorization !== undefined) {
    // Any other scheme (`Bearer ...`) is not a Connect token and is not read.
    const match = JWT_SCHEME.exec(authorization);
    if (match) found.push(match[1]!);
  }
  if (found.length === 0) throw new AuthError('no token');
  if (found.length > 1) throw new AuthError('token in more than one place');
  return found[0]!;
}

/**
 * The `jwt` fields of a form body (`application/x-www-form-urlencoded`), every pair read;
 * undefined when the request has no form body. Behind API Gateway the authorizer never sees
 * the body, so the app refuses any (see `gatewayAuthentication`).
 */
export function formBodyTokens(req: Pick<AppRequest, 'headers' | 'body'>): string | string[] | undefined {
  if (req.body === undefined || !isForm(req.headers['content-type'])) return undefined;
  return parseQueryString(req.body, '&', '=', ALL_PAIRS).jwt;
}

function collect(found: string[], value: string | string[] | undefined): void {
  if (typeof value === 'string') found.push(value);
  else if (value !== undefined) found.push(...value);
}

function isForm(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const semicolon = contentType.indexOf(';');
  return (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase() === FORM;
}
