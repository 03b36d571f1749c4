/**
 * The hosts Atlassian serves its product APIs on: Connect sites (`<site>.atlassian.net`, older
 * `<site>.jira.com`) and the Forge/OAuth 2.0 gateway (`api.atlassian.com`, where a Forge
 * token's `app.apiBaseUrl` points). The egress path reaches nothing else.
 */
export const ATLASSIAN_API_HOSTS: readonly string[] = ['*.atlassian.net', '*.jira.com', 'api.atlassian.com'];

/** Whether `host` (lower case, no port) is one of {@link ATLASSIAN_API_HOSTS}. */
export function isAtlassianApiHost(host: string): boolean {
  return ATLASSIAN_API_HOSTS.some((pattern) =>
    pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(host.slice(0, -pattern.length + 1)) : host === pattern,
  );
}

/** A target the egress path refuses before any connection: the reason says what and where. */
export class EgressRefusal extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'EgressRefusal';
  }
}

/**
 * The parsed target of one call, checked against the tenant's site: `https:` on the default
 * port, no user info, an Atlassian API host, the site's own host, and a path under the site's
 * path (`https://api.atlassian.com/ex/jira/<cloudId>` reaches only that cloud's APIs).
 * @throws EgressRefusal naming the first check that failed
 */
export function checkEgressTarget(url: string, site: string): URL {
  const base = parseHttps(site, 'the tenant site');
  const target = parseHttps(url, 'the target');
  if (target.host !== base.host) throw new EgressRefusal(`target host ${target.host} is not the tenant's site ${base.host}`);
  const basePath = base.pathname.replace(/\/+$/, '');
  if (basePath && target.pathname !== basePath && !target.pathname.startsWith(`${basePath}/`)) {
    throw new EgressRefusal(`target path is outside the tenant's site ${base.host}${basePath}`);
  }
  return target;
}

function parseHttps(value: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new EgressRefusal(`${what} is not a URL`);
  }
  if (url.protocol !== 'https:') throw new EgressRefusal(`${what} uses ${url.protocol.replace(/:$/, '')}; only https is allowed`);
  if (url.username || url.password) throw new EgressRefusal(`${what} carries user info`);
  if (url.port !== '') throw new EgressRefusal(`${what} names port ${url.port}; only the default https port is allowed`);
  if (!isAtlassianApiHost(url.hostname)) throw new EgressRefusal(`${what} host ${url.hostname} is not an Atlassian API host (${ATLASSIAN_API_HOSTS.join(', ')})`);
  // Dot segments are resolved by URL; an encoded one (%2e%2e) would reach the product as a path step.
  if (/%2e/i.test(url.pathname) || /%2f|%5c/i.test(url.pathname)) throw new EgressRefusal(`${what} path holds an encoded dot or slash`);
  return url;
}
