/**
 * The Atlassian product domains allowed to frame the app (CSP `frame-ancestors`).
 * Jira, Confluence, JSM and Bitbucket Cloud sites live under these.
 */
export const ATLASSIAN_FRAME_ANCESTORS = ['https://*.atlassian.net', 'https://*.jira.com', 'https://bitbucket.org'] as const;

/** `Strict-Transport-Security` max-age in seconds: two years (Atlassian asks for at least one). */
export const HSTS_MAX_AGE_SECONDS = 63_072_000;

/**
 * The headers every response carries, errors and gateway refusals included. This is the
 * one source of the header set: the Lambda handlers, the dev server and the API Gateway
 * gateway responses all derive from it.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Strict-Transport-Security': `max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains`,
  'Cache-Control': 'no-cache, no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  // Only the products frame the app; no quoted keywords such as 'self', which API Gateway's
  // quoted static header values could not carry unambiguously.
  'Content-Security-Policy': `frame-ancestors ${ATLASSIAN_FRAME_ANCESTORS.join(' ')}`,
});
