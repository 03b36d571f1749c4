// cdk-residency edge router (CloudFront Functions, cloudfront-js-2.0, viewer request).
// Sends each request to its tenant's realm by switching the origin; it never
// authenticates (the realm does) and never fails a request: any doubt means Global.
// The upper-case placeholders are filled in at synth from the config and the directory layout.
import cf from 'cloudfront';
const crypto = require('crypto');

const HOSTS = __HOSTS__;
const KEY_ENTRY = __KEY_ENTRY__;
const TAIL = __BUCKET_TAIL__;
const FP = __FINGERPRINT_LENGTH__;
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const MAX_TOKEN = 8192;
const MAX_ID = 512;
const VIEWER_HEADER = __VIEWER_HEADER__;
const CONTENT_PATH = __CONTENT_PATH__;
const CONTENT_PREFIX = __CONTENT_PREFIX__;
const kvs = cf.kvs();

async function handler(event) {
  // The descriptor and static assets come from the edge's content origin, for every tenant alike.
  const uri = event && event.request && event.request.uri;
  if (typeof uri === 'string' && (uri === CONTENT_PATH || uri.indexOf(CONTENT_PREFIX) === 0)) return event.request;
  try {
    // The viewer's bare IP, overwriting any value the viewer sent: the realm's WAF counts edge traffic by it.
    event.request.headers[VIEWER_HEADER] = { value: event.viewer.ip };
  } catch (e) {
    // No viewer IP to name: the realm's per-source-IP limit still counts the request.
  }
  try {
    const code = await realmCode(tenantHint(event.request));
    const host = code && code !== 'G' ? HOSTS[code] : undefined;
    if (typeof host === 'string') cf.updateRequestOrigin({ domainName: host });
  } catch (e) {
    // Unroutable: the default origin (Global) answers.
  }
  return event && event.request;
}

// The tenant id a request names, read from its token's claims without verifying it:
// a Connect JWT (iss = clientKey) in ?jwt= or `Authorization: JWT`, or a Forge
// Invocation Token (app.installationId) in `Authorization: Bearer`.
function tenantHint(request) {
  const query = request.querystring && request.querystring.jwt;
  const auth = request.headers && request.headers.authorization;
  let token;
  let forge = false;
  if (query && typeof query.value === 'string' && query.value !== '') {
    token = query.value;
  } else if (auth && typeof auth.value === 'string' && auth.value.length <= MAX_TOKEN + 10) {
    const m = /^(JWT|Bearer) +([A-Za-z0-9_.=-]+)$/i.exec(auth.value);
    if (m) {
      token = m[2];
      forge = m[1].toLowerCase() === 'bearer';
    }
  }
  if (!token || token.length > MAX_TOKEN) return undefined;
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  if (!claims || typeof claims !== 'object') return undefined;
  let id;
  if (forge) {
    if (claims.iss === 'forge/invocation-token' && claims.app) id = claims.app.installationId;
  } else {
    id = claims.iss;
  }
  return typeof id === 'string' && id !== '' && id.length <= MAX_ID ? id : undefined;
}

// The realm code the directory records for `id`, or undefined.
async function realmCode(id) {
  if (id === undefined) return undefined;
  const key = await kvs.get(KEY_ENTRY);
  const h = crypto.createHmac('sha256', key).update(id).digest('base64url');
  const bucket = h.slice(0, 2) + TAIL.charAt(B64.indexOf(h.charAt(2)) >> 4);
  const fp = h.slice(3, 3 + FP);
  const records = await kvs.get(bucket);
  for (let i = 0; i + FP < records.length; i += FP + 1) {
    if (records.slice(i, i + FP) === fp) return records.charAt(i + FP);
  }
  return undefined;
}
