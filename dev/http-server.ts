// The dev server's HTTP listener: Hono's node adapter on node's http server, with the refusals
// that neither Hono nor the app get to answer (a bad Host, a backslash in the path, headers over
// 16 KB, a malformed request line) carrying the same security headers as every other response.
import { getRequestListener, RequestError } from '@hono/node-server';
import { createServer, Server, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { SECURITY_HEADERS } from '../runtime/http/security-headers';

/** Largest request head node accepts (its own default, stated): longer heads get 431. */
export const DEV_MAX_HEADER_BYTES = 16 * 1024;

const refusalBody = (status: number) => JSON.stringify({ error: (STATUS_CODES[status] ?? 'refused').toLowerCase() });

/** A refusal as a Response, for requests Hono's adapter cannot turn into a Request (bad Host, backslash, bad URL). */
export function refusalResponse(status: number): Response {
  return new Response(refusalBody(status), { status, headers: { ...SECURITY_HEADERS, 'Content-Type': 'application/json' } });
}

/** A refusal as raw HTTP/1.1 bytes, for what node's parser refuses before any request exists. */
export function rawRefusal(status: number): string {
  const body = refusalBody(status);
  const headers = { ...SECURITY_HEADERS, 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)), Connection: 'close' };
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Refused'}\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n${body}`;
}

/** What node's parser error becomes: 431 for an oversized head, 408 for a slow one, 400 otherwise. */
function statusOfClientError(code: string | undefined): number {
  if (code === 'HPE_HEADER_OVERFLOW') return 431;
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  return 400;
}

/**
 * Listens on `hostname:port` (0 for any free port) and serves `fetch`. A missing Host is left
 * to the adapter (node would answer it bare) with no default host name, so it is refused as a
 * bad Host is.
 */
export async function listenDev(fetch: (req: Request) => Response | Promise<Response>, port: number, hostname: string): Promise<Server> {
  const listener = getRequestListener(fetch, {
    errorHandler: (err) => refusalResponse(err instanceof RequestError ? 400 : 500),
  });
  const server = createServer({ requireHostHeader: false, maxHeaderSize: DEV_MAX_HEADER_BYTES }, listener);
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    socket.end(rawRefusal(statusOfClientError(err.code)));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, hostname, () => resolve());
  });
  return server;
}
