import * as https from 'node:https';
import type { LookupFunction } from 'node:net';
import { EgressRefusal, checkEgressTarget } from './egress-target';
import { EGRESS_DEADLINE_MS, EgressRequest, EgressResponse, MAX_EGRESS_REQUEST_BYTES, MAX_EGRESS_RESPONSE_BYTES } from './egress-messages';

/**
 * A test network: every allowed host is reached at `address:port` and only certificates
 * issued by `ca` are trusted (host names are still checked against the certificate). Only a
 * caller of {@link egressHandler} can give it; the deployed entry gives none and reads no
 * environment for it, so a deployment always uses public DNS, port 443 and the system's CAs.
 */
export interface EgressTestNetwork {
  /** The CA (PEM) of the stand-in's certificate. */
  readonly ca: string;
  /** The stand-in's port. */
  readonly port: number;
  /** The stand-in's address. @default '127.0.0.1' */
  readonly address?: string;
}

/** Options of {@link egressHandler}. */
export interface EgressHandlerOptions {
  /** Test only: see {@link EgressTestNetwork}. @default - the internet */
  readonly testNetwork?: EgressTestNetwork;
  /** How long one call may take. @default EGRESS_DEADLINE_MS */
  readonly deadlineMs?: number;
  /** Largest response body taken. @default MAX_EGRESS_RESPONSE_BYTES */
  readonly maxResponseBytes?: number;
  /** One JSON line per call (host, method, status, milliseconds; never a path, header or body). @default console.log */
  readonly log?: (entry: Record<string, unknown>) => void;
}

// Hop-by-hop and framing headers are the transport's; `host` would name another target than the URL.
const DROPPED_REQUEST_HEADERS = /^(host|connection|keep-alive|proxy-.*|te|trailer|transfer-encoding|upgrade|content-length|expect)$/;
const DROPPED_RESPONSE_HEADERS = /^(set-cookie|connection|keep-alive|transfer-encoding)$/;

/**
 * The egress function's handler: makes one call to the current tenant's Atlassian site for
 * the app function, which has no route to the internet. It holds no data and no permission;
 * it refuses any target that is not https on the default port, not an Atlassian API host
 * (`ATLASSIAN_API_HOSTS`) or not under the tenant's site; follows no redirect (a 3xx comes back
 * as it is); and caps the time (`deadlineMs`) and the response size.
 */
export function egressHandler(options: EgressHandlerOptions = {}): (request: EgressRequest) => Promise<EgressResponse> {
  const net = options.testNetwork;
  const deadlineMs = options.deadlineMs ?? EGRESS_DEADLINE_MS;
  const maxBytes = options.maxResponseBytes ?? MAX_EGRESS_RESPONSE_BYTES;
  const log = options.log ?? ((entry) => console.log(JSON.stringify(entry)));
  const lookup: LookupFunction | undefined = net
    ? (_host, opts, callback) => {
        const address = net.address ?? '127.0.0.1';
        if ((opts as { all?: boolean }).all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family: 4 }]);
        else callback(null, address, 4);
      }
    : undefined;
  const agent = new https.Agent({ keepAlive: true, maxSockets: 16, minVersion: 'TLSv1.2', ...(net ? { ca: net.ca } : {}) });

  return async (request) => {
    const started = Date.now();
    let target: URL;
    let body: Buffer | undefined;
    try {
      ({ target, body } = checked(request));
    } catch (error) {
      const reason = error instanceof EgressRefusal ? error.message : 'malformed egress request';
      log({ event: 'egress-refused', reason });
      return { failure: 'refused', reason };
    }
    const answer = await call(target, request, body, { agent, lookup, port: net?.port ?? 443, deadlineMs, maxBytes });
    log({ event: 'egress', host: target.hostname, method: request.method, ...('status' in answer ? { status: answer.status } : { failure: answer.failure }), ms: Date.now() - started });
    return answer;
  };
}

function checked(request: EgressRequest): { target: URL; body?: Buffer } {
  if (typeof request !== 'object' || request === null) throw new EgressRefusal('egress request is not an object');
  const { site, method, url, headers, body } = request;
  if (typeof site !== 'string' || typeof url !== 'string') throw new EgressRefusal('egress request needs site and url');
  if (typeof method !== 'string' || !/^(GET|HEAD|POST|PUT|PATCH|DELETE)$/.test(method)) throw new EgressRefusal(`method ${JSON.stringify(String(method).slice(0, 20))} is not allowed`);
  if (typeof headers !== 'object' || headers === null || Object.values(headers).some((v) => typeof v !== 'string' || /[\r\n]/.test(v))) {
    throw new EgressRefusal('headers must be single-line strings');
  }
  const target = checkEgressTarget(url, site);
  if (body !== undefined && typeof body !== 'string') throw new EgressRefusal('body must be base64 text');
  const bytes = body === undefined ? undefined : Buffer.from(body, 'base64');
  if (bytes && bytes.length > MAX_EGRESS_REQUEST_BYTES) throw new EgressRefusal(`request body of ${bytes.length} bytes is over ${MAX_EGRESS_REQUEST_BYTES}`);
  return { target, ...(bytes ? { body: bytes } : {}) };
}

interface CallOptions {
  readonly agent: https.Agent;
  readonly lookup?: LookupFunction;
  readonly port: number;
  readonly deadlineMs: number;
  readonly maxBytes: number;
}

function call(target: URL, request: EgressRequest, body: Buffer | undefined, o: CallOptions): Promise<EgressResponse> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) if (!DROPPED_REQUEST_HEADERS.test(name.toLowerCase())) headers[name.toLowerCase()] = value;
  if (body) headers['content-length'] = String(body.length);
  // The URL's host (no port: always the default one deployed), whatever port the test network uses.
  headers.host = target.host;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (answer: EgressResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(answer);
    };
    const req = https.request(
      { protocol: 'https:', hostname: target.hostname, servername: target.hostname, port: o.port, path: `${target.pathname}${target.search}`, method: request.method, headers, agent: o.agent, ...(o.lookup ? { lookup: o.lookup } : {}) },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > o.maxBytes) {
            req.destroy();
            finish({ failure: 'too-large', reason: `response over ${o.maxBytes} bytes` });
          } else chunks.push(chunk);
        });
        res.on('end', () => {
          const out: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined && !DROPPED_RESPONSE_HEADERS.test(name)) out[name] = Array.isArray(value) ? value.join(', ') : value;
          }
          finish({ status: res.statusCode ?? 502, headers: out, body: Buffer.concat(chunks).toString('base64') });
        });
        res.on('error', () => finish({ failure: 'unreachable', reason: 'response broke off' }));
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      finish({ failure: 'timeout', reason: `no complete answer within ${o.deadlineMs} ms` });
    }, o.deadlineMs);
    // The TLS or socket error's code only (CERT_HAS_EXPIRED, ECONNREFUSED): never the request.
    req.on('error', (error: NodeJS.ErrnoException) => finish({ failure: 'unreachable', reason: `${target.hostname}: ${error.code ?? error.name}` }));
    req.end(body);
  });
}
