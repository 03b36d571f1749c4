// Added latency of one tenant.atlassian call through the egress path, on loopback: the same GET to a
// local HTTPS stand-in of Jira, made directly (keep-alive https, as the egress function's own
// connection) and through tenant.atlassian -> egress request -> egressHandler -> stand-in, with the
// Lambda payload's JSON round trip both ways. The Lambda invoke hop itself is not on loopback and not in it.
import * as https from 'node:https';
import { atlassianApi, egressHandler, EgressRequest } from '../runtime/atlassian-api';
import { startProductStandIn } from '../test/runtime/atlassian-api/product-stand-in';

const N = 2000;
const SITE = 'https://api.atlassian.com/ex/jira/cloud-1';
const PATH = '/rest/api/3/issue/DEMO-1?fields=summary';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function sample(fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 200; i++) await fn(); // warm-up: connections open, code optimized
  const out: number[] = [];
  for (let i = 0; i < N; i++) {
    const start = process.hrtime.bigint();
    await fn();
    out.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  return out.sort((a, b) => a - b);
}

async function main(): Promise<void> {
  const product = await startProductStandIn();
  product.answer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"key":"DEMO-1","fields":{"summary":"Fix the login page"}}');
  });
  const agent = new https.Agent({ keepAlive: true, ca: product.network.ca });
  const direct = () =>
    new Promise<void>((resolve, reject) => {
      const req = https.request({ hostname: 'api.atlassian.com', port: product.network.port, path: `/ex/jira/cloud-1${PATH}`, agent, lookup: (_h, o, cb) => ((o as { all?: boolean }).all ? (cb as unknown as (e: null, a: object[]) => void)(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4)), headers: { authorization: 'Bearer t' } }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end();
    });
  const handler = egressHandler({ testNetwork: product.network, log: () => undefined });
  // As FunctionEgress sends it: JSON out, JSON back.
  const api = atlassianApi({ site: SITE, credentials: { kind: 'forge', systemToken: 't' }, egress: { send: async (r: EgressRequest) => JSON.parse(JSON.stringify(await handler(JSON.parse(JSON.stringify(r))))) } });
  const through = () => api.request(PATH);

  const a = await sample(direct);
  const b = await sample(through);
  const row = (name: string, s: number[]) => console.log(`${name.padEnd(30)} p50 ${percentile(s, 50).toFixed(0).padStart(5)} µs   p99 ${percentile(s, 99).toFixed(0).padStart(5)} µs`);
  row('direct https (loopback)', a);
  row('through the egress path', b);
  console.log(`${'added by the egress path'.padEnd(30)} p50 ${(percentile(b, 50) - percentile(a, 50)).toFixed(0).padStart(5)} µs   p99 ${(percentile(b, 99) - percentile(a, 99)).toFixed(0).padStart(5)} µs   (${N} calls each; Lambda invoke hop excluded)`);
  agent.destroy();
  await product.close();
  process.exit(0);
}

void main();
