/**
 * Checks a response's headers the way Atlassian's security requirements and public
 * scanner do. Returns the problems found (empty when the response passes).
 */
export function headerProblems(headers: Headers | Record<string, string | undefined>): string[] {
  const get = (name: string) => (headers instanceof Headers ? headers.get(name) : headers[name] ?? headers[name.toLowerCase()]) ?? undefined;
  const problems: string[] = [];
  const hsts = get('Strict-Transport-Security') ?? '';
  const maxAge = Number(/max-age=(\d+)/i.exec(hsts)?.[1] ?? 0);
  if (maxAge < 31_536_000 || !/includeSubDomains/i.test(hsts)) problems.push(`HSTS "${hsts}"`);
  const cache = (get('Cache-Control') ?? '').toLowerCase();
  if (!cache.includes('no-cache') || !cache.includes('no-store')) problems.push(`Cache-Control "${cache}"`);
  if ((get('X-Content-Type-Options') ?? '').toLowerCase() !== 'nosniff') problems.push('X-Content-Type-Options');
  const referrer = (get('Referrer-Policy') ?? '').toLowerCase();
  if (referrer === '' || referrer.includes('unsafe-url') || referrer.includes('no-referrer-when-downgrade')) {
    problems.push(`Referrer-Policy "${referrer}"`);
  }
  const ancestors = /frame-ancestors ([^;]+)/.exec(get('Content-Security-Policy') ?? '')?.[1]?.trim().split(/\s+/) ?? [];
  const allowed = (src: string) => /^https:\/\/(\*\.)?(atlassian\.net|jira\.com|bitbucket\.org)$/.test(src);
  if (ancestors.length === 0 || !ancestors.every(allowed)) problems.push(`CSP frame-ancestors "${ancestors.join(' ')}"`);
  return problems;
}
