// Test helpers: tokens made with atlassian-jwt (the reference) or by hand for malformed ones.
import { createHmac } from 'node:crypto';
import { createQueryStringHash, encodeSymmetric, fromMethodAndUrl, SymmetricAlgorithm } from 'atlassian-jwt';
import type { VerifyConnectOptions } from '../../../runtime/connect-auth';

/** The fixed clock of the tests, in milliseconds and seconds. */
export const NOW_MS = 1_750_000_000_000;
export const NOW = NOW_MS / 1000;
export const CLIENT_KEY = 'tenant-a';
export const SECRET = 'shared-secret-of-tenant-a-0123456789';

/** Secrets of installed tenants; `uninstalled-tenant` is known but has no secret any more. */
const installed = new Map([[CLIENT_KEY, SECRET], ['tenant-b', 'shared-secret-of-tenant-b']]);

/** Options as a route would pass them, with the fixed clock. */
export function connectOptions(extra: Partial<VerifyConnectOptions> = {}): VerifyConnectOptions {
  return { secretFor: async (clientKey) => installed.get(clientKey), now: () => NOW_MS, ...extra };
}

/** atlassian-jwt's qsh for a request. */
export function referenceQsh(method: string, url: string, baseUrl?: string): string {
  return createQueryStringHash(fromMethodAndUrl(method, url), false, baseUrl);
}

/** Valid claims for `request`, with `extra` laid over them. */
export function claimsFor(request: { method: string; url: string }, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { iss: CLIENT_KEY, iat: NOW - 10, exp: NOW + 170, qsh: referenceQsh(request.method, request.url), ...extra };
}

/** A token made by atlassian-jwt. */
export function signed(claims: Record<string, unknown>, secret = SECRET, algorithm = SymmetricAlgorithm.HS256): string {
  return encodeSymmetric(claims, secret, algorithm);
}

/** A token made by hand from raw header and payload text, HMAC-SHA256 signed with `secret`. */
export function handmade(headerJson: string, payloadJson: string, secret = SECRET): string {
  const input = `${b64url(headerJson)}.${b64url(payloadJson)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/** base64url without padding. */
export function b64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
