import { AddressInfo } from 'node:net';
import * as https from 'node:https';
import { IncomingMessage, ServerResponse } from 'node:http';
import { generate } from 'selfsigned';
import { EgressTestNetwork } from '../../../runtime/atlassian-api';

/** One request the stand-in received. */
export interface ReceivedRequest {
  readonly host: string;
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/**
 * A local HTTPS stand-in for Atlassian's product APIs: a self-signed certificate for the
 * Atlassian API host names, made for this test run, and a handler that answers per request.
 */
export interface ProductStandIn {
  /** What the egress handler's test network needs to reach it (its CA, its port). */
  readonly network: EgressTestNetwork;
  /** Every request received, in order. */
  readonly received: ReceivedRequest[];
  /** Answers the next requests (default: 200 `{"ok":true}`). */
  answer(handler: (req: ReceivedRequest, res: ServerResponse) => void): void;
  close(): Promise<void>;
}

const DEFAULT = (_req: ReceivedRequest, res: ServerResponse) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end('{"ok":true}');
};

export async function startProductStandIn(hosts: readonly string[] = ['*.atlassian.net', 'api.atlassian.com', '*.jira.com', 'example.com']): Promise<ProductStandIn> {
  const pems = await generate([{ name: 'commonName', value: hosts[0]! }], {
    keySize: 2048,
    notAfterDate: new Date(Date.now() + 24 * 3600_000),
    extensions: [{ name: 'subjectAltName', altNames: hosts.map((value) => ({ type: 2 as const, value })) }],
  });
  const received: ReceivedRequest[] = [];
  let handler = DEFAULT;
  const server = https.createServer({ key: pems.private, cert: pems.cert }, (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { host: String(req.headers.host), method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(r);
      handler(r, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    network: { ca: pems.cert, port: (server.address() as AddressInfo).port },
    received,
    answer: (h) => {
      handler = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
