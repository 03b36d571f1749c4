import { AuthError } from './auth-error';

/** Clock skew allowed on `exp`, `iat` and `nbf` when no `leewaySeconds` is given. */
export const DEFAULT_LEEWAY_SECONDS = 30;

/**
 * The longest lifetime (`exp - iat`, in seconds) accepted, before leeway: Atlassian's iframe
 * and server-to-server tokens live about 3 minutes and `AP.context.getToken()` tokens about
 * 15 minutes; a longer-lived token was not issued by Atlassian, or is one a leak keeps useful.
 */
export const MAX_LIFETIME_SECONDS = 15 * 60;

/** The clock and leeway of a verification, checked once. */
export function timing(options: { now?: () => number; leewaySeconds?: number }): { nowSeconds: number; leeway: number } {
  const leeway = options.leewaySeconds ?? DEFAULT_LEEWAY_SECONDS;
  if (!Number.isFinite(leeway) || leeway < 0) throw new RangeError(`leewaySeconds must be a finite number >= 0, got ${leeway}`);
  return { nowSeconds: Math.floor((options.now ?? Date.now)() / 1000), leeway };
}

/**
 * Refuses (AuthError 401) a token without numeric `iat` and `exp`, expired (`exp <= now - leeway`),
 * issued in the future (`iat > now + leeway`), not yet valid (`nbf > now + leeway`), or living
 * longer than Atlassian issues tokens for (`exp - iat > MAX_LIFETIME_SECONDS + leeway`).
 */
export function checkLifetime(claims: Record<string, unknown>, nowSeconds: number, leeway: number): void {
  const { iat, exp, nbf } = claims;
  if (!isNumericDate(iat)) throw new AuthError('missing iat');
  if (!isNumericDate(exp)) throw new AuthError('missing exp');
  if (nbf !== undefined && !isNumericDate(nbf)) throw new AuthError('malformed nbf');
  if (exp <= nowSeconds - leeway) throw new AuthError('expired');
  if (exp - iat > MAX_LIFETIME_SECONDS + leeway) throw new AuthError('lifetime longer than Atlassian issues');
  if (iat > nowSeconds + leeway) throw new AuthError('issued in the future');
  if (nbf !== undefined && nbf > nowSeconds + leeway) throw new AuthError('not yet valid');
}

function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
