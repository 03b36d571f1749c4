import { encodeSymmetric } from 'atlassian-jwt';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, importPKCS8 } from 'jose';
import { computeQsh } from '../../runtime/connect-auth';
import { DevForgeInstallation, DevInvocation, DevTenant, connectToken, forgeInvocationToken, forgeLifecycleBody, installedBody, signInstallToken } from '../../dev/dev-client';
import { DevForgeKey, devForgeKey } from '../../dev/dev-forge-key';
import { DEV_INSTALL_KID, devInstallKey } from '../../dev/dev-install-key';
import { FORGE_LIFECYCLE_MODULE_KEY, FORGE_LIFECYCLE_PATH, FORGE_MIGRATION_HOOK_PATH, FORGE_MIGRATION_MODULE_KEY } from '../../runtime/app/routes';
import { headerProblems } from '../helpers/security-headers';

// Starts `npm run dev` as a person would (same script, a child process) and probes every
// URL of the descriptor it serves the way Atlassian's public security scanner does.
const ROOT = join(__dirname, '..', '..');
const keyDir = mkdtempSync(join(tmpdir(), 'residency-dev-'));
let server: ChildProcess;
let baseUrl: string;
let descriptor: { key: string; lifecycle: Record<string, string>; modules: Record<string, { url: string }[]> };

/** Starts `npm run dev` with `args` and resolves with its base URL once it listens. */
function startDevServer(args: string[]): { child: ChildProcess; url: Promise<string> } {
  const child = spawn(process.execPath, [require.resolve('tsx/cli'), 'dev/server.ts', '--port', '0', '--key-dir', keyDir, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const found = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      if (found) resolve(found);
    });
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`dev server exited with ${code}: ${out}`)));
  });
  return { child, url };
}

beforeAll(async () => {
  const dev = startDevServer([]);
  server = dev.child;
  baseUrl = await dev.url;
  descriptor = (await (await fetch(`${baseUrl}/atlassian-connect.json`)).json()) as typeof descriptor;
});

afterAll(() => {
  server?.kill('SIGTERM');
  rmSync(keyDir, { recursive: true, force: true });
});

const installHooks = () => new Set([descriptor.lifecycle['installed'], descriptor.lifecycle['uninstalled']]);
const descriptorUrls = () => [
  ...Object.values(descriptor.lifecycle),
  ...Object.values(descriptor.modules).flatMap((mods) => mods.map((m) => m.url)),
];

async function installTenant(): Promise<DevTenant> {
  const tenant: DevTenant = { clientKey: `scan-${randomBytes(6).toString('hex')}`, sharedSecret: randomBytes(32).toString('base64url'), baseUrl: 'https://scan.atlassian.net' };
  const token = await signInstallToken(devInstallKey(keyDir), tenant, baseUrl, 'POST', '/lifecycle/installed');
  const res = await fetch(`${baseUrl}/lifecycle/installed`, {
    method: 'POST',
    headers: { authorization: `JWT ${token}`, 'content-type': 'application/json' },
    body: installedBody(descriptor.key, tenant),
  });
  expect(res.status).toBe(204);
  return tenant;
}

function unsigned(claims: Record<string, unknown>): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
}

async function selfSignedRs256(clientKey: string, method: string, path: string, kid: string): Promise<string> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ qsh: computeQsh(method, path) })
    .setProtectedHeader({ alg: 'RS256', kid })
    .setIssuer(clientKey)
    .setAudience(baseUrl)
    .setIssuedAt(now)
    .setExpirationTime(now + 180)
    .sign(await importPKCS8(pem, 'RS256'));
}

/** Sends `head` as raw bytes to the server at `url` and parses the status line and headers of its answer. */
function rawRequest(url: string, head: string): Promise<{ status: number; headers: Headers; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(head));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => {
      const [top = '', body = ''] = answer.split('\r\n\r\n');
      const [statusLine = '', ...lines] = top.split('\r\n');
      const headers = new Headers(lines.map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()] as [string, string]));
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body });
    });
  });
}

describe('npm run dev under the public security scanner', () => {
  let tenant: DevTenant;
  beforeAll(async () => {
    tenant = await installTenant();
  });

  it('serves a descriptor whose URLs include every lifecycle hook and module', () => {
    expect(Object.keys(descriptor.lifecycle).sort()).toEqual(['disabled', 'enabled', 'installed', 'uninstalled']);
    expect(descriptorUrls().length).toBeGreaterThanOrEqual(5);
  });

  it('answers a correctly signed request with 200 and the security headers (the refusals below are not vacuous)', async () => {
    const res = await fetch(`${baseUrl}/api/notes`, { headers: { authorization: `JWT ${connectToken(tenant, 'GET', '/api/notes')}` } });
    expect(res.status).toBe(200);
    expect(headerProblems(res.headers)).toEqual([]);
  });

  type Attack = { name: string; token: (method: string, path: string) => Promise<string | undefined> };
  const attacks = (): Attack[] => [
    { name: 'no authentication', token: async () => undefined },
    {
      name: 'HS256 signed with a wrong secret',
      token: async (m, p) => connectToken({ ...tenant, sharedSecret: randomBytes(32).toString('base64url') }, m, p),
    },
    {
      name: 'alg none',
      token: async (m, p) => unsigned({ iss: tenant.clientKey, iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 180, qsh: computeQsh(m, p) }),
    },
  ];
  const installAttacks = (): Attack[] => [
    { name: 'self-signed RS256 under an unknown kid', token: (m, p) => selfSignedRs256(tenant.clientKey, m, p, 'scanner-key') },
    { name: 'self-signed RS256 under the real kid', token: (m, p) => selfSignedRs256(tenant.clientKey, m, p, DEV_INSTALL_KID) },
    { name: 'HS256 with the shared secret on an install hook', token: async (m, p) => connectToken(tenant, m, p) },
  ];

  it.each(['GET', 'POST'])('refuses every descriptor URL with %s under every attack, with the full header set', async (method) => {
    const seen: string[] = [];
    for (const path of descriptorUrls()) {
      const declared = path.startsWith('/lifecycle/') ? method === 'POST' : method === 'GET';
      for (const attack of [...attacks(), ...(installHooks().has(path) ? installAttacks() : [])]) {
        for (const where of ['header', 'query'] as const) {
          const token = await attack.token(method, path);
          const url = token && where === 'query' ? `${baseUrl}${path}?jwt=${token}` : `${baseUrl}${path}`;
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (token && where === 'header') headers['authorization'] = `JWT ${token}`;
          const body = method === 'POST' ? installedBody(descriptor.key, tenant) : undefined;
          const res = await fetch(url, { method, headers, body, redirect: 'manual' });
          const label = `${method} ${path} (${attack.name}, token in ${where})`;
          seen.push(label);
          if (declared) expect([label, res.status]).toEqual([label, 401]);
          else expect([label, res.status >= 400]).toEqual([label, true]);
          expect([label, headerProblems(res.headers)]).toEqual([label, []]);
          const text = await res.text();
          expect(text).not.toMatch(/stack|Error:|at \w+ \(/);
        }
      }
    }
    expect(seen.length).toBeGreaterThanOrEqual(30);
  });

  it('refuses the migration hooks under every attack, with the full header set', async () => {
    const hooks = [['POST', '/migration/schedule'], ['POST', '/migration/start'], ['GET', '/migration/status'], ['POST', '/migration/commit'], ['POST', '/migration/rollback']] as const;
    const now = Math.floor(Date.now() / 1000);
    const contextQsh: Attack = { name: 'context-qsh', token: async () => encodeSymmetric({ iss: tenant.clientKey, iat: now, exp: now + 180, qsh: 'context-qsh' }, tenant.sharedSecret) };
    for (const [method, path] of hooks) {
      for (const attack of [...attacks(), contextQsh]) {
        const token = await attack.token(method, path);
        const res = await fetch(`${baseUrl}${path}`, {
          method,
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `JWT ${token}` } : {}) },
          body: method === 'POST' ? JSON.stringify({ location: 'EU', migrationId: 1 }) : undefined,
        });
        const label = `${method} ${path} (${attack.name})`;
        expect([label, res.status, await res.json()]).toEqual([label, 401, { error: 'unauthorized' }]);
        expect([label, headerProblems(res.headers)]).toEqual([label, []]);
      }
    }
  });

  it('answers signed migration hooks: E0002 for a realm outside its stack, E0001 for an unknown migration', async () => {
    const schedule = await fetch(`${baseUrl}/migration/schedule`, {
      method: 'POST',
      headers: { authorization: `JWT ${connectToken(tenant, 'POST', '/migration/schedule')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ location: 'AU', migrationId: 1, startTime: '2026-11-01T00:00:00Z', endTime: '2026-11-01T04:00:00Z' }),
    });
    expect([schedule.status, await schedule.json()]).toEqual([400, { error: 'realm AU is not supported by this app', errorResponseCode: 'E0002' }]);
    const status = await fetch(`${baseUrl}/migration/status?migrationId=1`, {
      headers: { authorization: `JWT ${connectToken(tenant, 'GET', '/migration/status?migrationId=1')}` },
    });
    expect([status.status, await status.json()]).toEqual([404, { error: 'no migration with this migrationId was scheduled for this tenant', errorResponseCode: 'E0001' }]);
    expect(headerProblems(status.headers)).toEqual([]);
  });

  it('still holds the tenant after the attacks: its own token keeps working', async () => {
    const res = await fetch(`${baseUrl}/api/notes`, { headers: { authorization: `JWT ${connectToken(tenant, 'GET', '/api/notes')}` } });
    expect(res.status).toBe(200);
  });

  // What node's HTTP server or Hono's adapter answers before the app runs: host-header, path-confusion and header-flood probes.
  it.each([
    ['a Host header that is not a host name (host-header injection)', 'GET /api/notes HTTP/1.1\r\nHost: evil example\r\n', 400],
    ['a Host header with a path in it', 'GET /api/notes HTTP/1.1\r\nHost: evil.example/x\r\n', 400],
    ['no Host header', 'GET /api/notes HTTP/1.1\r\n', 400],
    ['a backslash in the path (path confusion)', 'GET /api\\notes HTTP/1.1\r\nHost: 127.0.0.1\r\n', 400],
    ['headers over 16 KB (header flood)', `GET /api/notes HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Flood: ${'a'.repeat(17 * 1024)}\r\n`, 431],
    ['a malformed request line', 'GET /api/notes HTTP/9\r\nHost: 127.0.0.1\r\n', 400],
  ])("refuses %s itself, with the full header set", async (_attack, head, status) => {
    const res = await rawRequest(baseUrl, `${head}Connection: close\r\n\r\n`);
    expect([res.status, headerProblems(res.headers), res.headers.get('content-type')]).toEqual([status, [], 'application/json']);
    expect(JSON.parse(res.body)).toEqual({ error: expect.any(String) });
  });

  it('refuses a context-qsh token on the notes page and on lifecycle hooks but accepts it on the context API', async () => {
    const now = Math.floor(Date.now() / 1000);
    const ctx = encodeSymmetric({ iss: tenant.clientKey, iat: now, exp: now + 180, qsh: 'context-qsh' }, tenant.sharedSecret);
    const auth = { authorization: `JWT ${ctx}` };
    expect((await fetch(`${baseUrl}/api/notes`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${baseUrl}/pages/notes`, { headers: auth })).status).toBe(401);
    const enabled = JSON.stringify({ key: descriptor.key, clientKey: tenant.clientKey, eventType: 'enabled' });
    expect((await fetch(`${baseUrl}/lifecycle/enabled`, { method: 'POST', headers: auth, body: enabled })).status).toBe(401);
  });
});

describe('npm run dev --app <a vendor app> under the same probes', () => {
  const FIXTURE = 'test/fixtures/vendor-app/app.ts';
  let vendor: ChildProcess;
  let url: string;
  let tenant: DevTenant;
  beforeAll(async () => {
    const dev = startDevServer(['--app', FIXTURE]);
    vendor = dev.child;
    url = await dev.url;
    tenant = { clientKey: `vendor-${randomBytes(6).toString('hex')}`, sharedSecret: randomBytes(32).toString('base64url'), baseUrl: 'https://vendor.atlassian.net' };
    const token = await signInstallToken(devInstallKey(keyDir), tenant, url, 'POST', '/lifecycle/installed');
    const res = await fetch(`${url}/lifecycle/installed`, { method: 'POST', headers: { authorization: `JWT ${token}` }, body: installedBody('com.example.residency-demo', tenant) });
    expect(res.status).toBe(204);
  });
  afterAll(() => vendor?.kill('SIGTERM'));

  // Every route of the fixture with its parameters filled in, read from the module the server loaded.
  const routes = async () => {
    const app = (await import('../fixtures/vendor-app/app')).default;
    return app.routes.map((r) => ({ method: r.method, path: r.path.replace(/:(\w+)/g, 'p-$1'), auth: r.auth }));
  };
  const put = (path: string, token: string | undefined, body: unknown) =>
    fetch(`${url}${path}`, { method: 'PUT', headers: { 'content-type': 'application/json', ...(token ? { authorization: `JWT ${token}` } : {}) }, body: JSON.stringify(body) });

  it("serves the app's routes to a product-signed token: a path parameter, a body schema, a conditional write (the refusals below are not vacuous)", async () => {
    const path = '/api/items/i-1';
    expect((await put(path, connectToken(tenant, 'PUT', path), { title: 'first' })).status).toBe(201);
    const again = await put(path, connectToken(tenant, 'PUT', path), { title: 'again' });
    expect([again.status, await again.json()]).toEqual([409, { error: 'conflict', id: 'item:i-1' }]);
    const bad = await put(path, connectToken(tenant, 'PUT', path), { title: 7 });
    expect([bad.status, ((await bad.json()) as { issues: { path: string }[] }).issues[0]!.path]).toEqual([400, '$.title']);
    const got = await fetch(`${url}${path}`, { headers: { authorization: `JWT ${connectToken(tenant, 'GET', path)}` } });
    expect([got.status, await got.json()]).toEqual([200, { id: 'item:i-1', value: { title: 'first' }, version: 1 }]);
    expect(headerProblems(got.headers)).toEqual([]);
    const descriptor = (await (await fetch(`${url}/atlassian-connect.json`)).json()) as { modules: object };
    expect(descriptor.modules).toEqual((await import('../fixtures/vendor-app/app')).default.connect.modules);
  });

  it('refuses every route of the app without a valid token (none, a wrong secret, alg none), with the full header set', async () => {
    const wrong: DevTenant = { ...tenant, sharedSecret: randomBytes(32).toString('base64url') };
    const now = Math.floor(Date.now() / 1000);
    const attacks: [string, (m: string, p: string) => string | undefined][] = [
      ['no authentication', () => undefined],
      ['HS256 signed with a wrong secret', (m, p) => connectToken(wrong, m, p)],
      ['alg none', (m, p) => unsigned({ iss: tenant.clientKey, iat: now, exp: now + 180, qsh: computeQsh(m, p) })],
    ];
    const seen: string[] = [];
    for (const route of await routes()) {
      for (const [name, token] of attacks) {
        const t = token(route.method, route.path);
        const res = await fetch(`${url}${route.path}`, {
          method: route.method,
          headers: { 'content-type': 'application/json', ...(t ? { authorization: `JWT ${t}` } : {}) },
          ...(route.method === 'GET' ? {} : { body: JSON.stringify({ title: 'x' }) }),
          redirect: 'manual',
        });
        const label = `${route.method} ${route.path} (${route.auth}, ${name})`;
        seen.push(label);
        expect([label, res.status]).toEqual([label, 401]);
        expect([label, headerProblems(res.headers)]).toEqual([label, []]);
        expect(await res.text()).toBe('{"error":"unauthorized"}');
      }
    }
    expect(seen).toHaveLength(7 * 3);
  });
});

describe('npm run dev --app examples/forge-tasks/app.ts under the same probes with Forge Invocation Tokens', () => {
  const FORGE_APP = 'examples/forge-tasks/app.ts';
  let forge: ChildProcess;
  let url: string;
  let key: DevForgeKey;
  const cloudId = randomUUID();
  const installation: DevForgeInstallation = {
    installationId: `ari:cloud:ecosystem::installation/${randomUUID()}`,
    apiBaseUrl: `https://api.atlassian.com/ex/jira/${cloudId}`,
    cloudId,
  };
  const fit = (invocation: DevInvocation, signer: DevForgeKey = key) => forgeInvocationToken(signer, installation, invocation);
  const send = (method: string, path: string, token: string | undefined, body?: string) =>
    fetch(`${url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(method === 'GET' ? {} : { body }),
      redirect: 'manual',
    });

  beforeAll(async () => {
    const dev = startDevServer(['--app', FORGE_APP]);
    forge = dev.child;
    url = await dev.url;
    key = devForgeKey(keyDir);
    const installed = await send('POST', FORGE_LIFECYCLE_PATH, await fit({ moduleKey: FORGE_LIFECYCLE_MODULE_KEY }), forgeLifecycleBody('avi:forge:installed:app', installation));
    expect(installed.status).toBe(200);
  });
  afterAll(() => forge?.kill('SIGTERM'));

  // Each Forge route of the running server: the app's own, the lifecycle trigger and the migration hooks, with the module each is bound to.
  const routes = [
    { method: 'GET', path: '/tasks', module: 'tasks-resolver' },
    { method: 'POST', path: '/tasks', module: 'tasks-resolver', body: JSON.stringify({ title: 'scan' }) },
    { method: 'POST', path: FORGE_LIFECYCLE_PATH, module: FORGE_LIFECYCLE_MODULE_KEY, body: forgeLifecycleBody('avi:forge:upgraded:app', installation) },
    ...['schedule', 'start', 'commit', 'rollback'].map((hook) => ({
      method: 'POST', path: `${FORGE_MIGRATION_HOOK_PATH}/${hook}`, module: FORGE_MIGRATION_MODULE_KEY, migration: true,
      body: JSON.stringify({ location: 'EU', migrationId: 1, startTime: '2026-12-01T00:00:00Z', endTime: '2026-12-01T01:00:00Z' }),
    })),
    { method: 'GET', path: `${FORGE_MIGRATION_HOOK_PATH}/status?migrationId=1`, module: FORGE_MIGRATION_MODULE_KEY, migration: true },
  ] as { method: string; path: string; module: string; body?: string; migration?: boolean }[];

  it('answers a task call with a token of its module (the refusals below are not vacuous), and dev:install -- --forge installs and calls a Forge route', async () => {
    const added = await send('POST', '/tasks', await fit({ moduleKey: 'tasks-resolver', principal: 'user-1' }), JSON.stringify({ title: 'first' }));
    expect([added.status, await added.json()]).toEqual([201, expect.objectContaining({ title: 'first', createdBy: 'user-1', site: installation.apiBaseUrl })]);
    const listed = await send('GET', '/tasks', await fit({ moduleKey: 'tasks-resolver' }));
    expect([listed.status, ((await listed.json()) as { tasks: unknown[] }).tasks]).toEqual([200, [expect.objectContaining({ title: 'first' })]]);
    expect(headerProblems(listed.headers)).toEqual([]);
    // The migration hooks open to the migration module's system token: E0001 is the hook answering, not a refusal.
    const status = await send('GET', `${FORGE_MIGRATION_HOOK_PATH}/status?migrationId=1`, await fit({ moduleKey: FORGE_MIGRATION_MODULE_KEY }));
    expect([status.status, ((await status.json()) as { errorResponseCode?: string }).errorResponseCode]).toEqual([404, 'E0001']);
    const cli = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'dev/install.ts', '--forge', '--url', url, '--key-dir', keyDir], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect([cli.status, cli.stdout.split('\n').filter((l) => / -> \d+ /.test(l))]).toEqual([0, [`POST ${FORGE_LIFECYCLE_PATH} -> 200 {}`, 'GET /tasks -> 200 {"tasks":[]}']]);
  });

  type ForgeAttack = { name: string; token: (route: (typeof routes)[number]) => Promise<string | undefined>; only?: (route: (typeof routes)[number]) => boolean };
  const attacks = (): ForgeAttack[] => [
    { name: 'no token', token: async () => undefined },
    {
      name: 'signed by another key under the same kid',
      token: async (r) => fit({ moduleKey: r.module }, { ...key, privatePem: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() }),
    },
    { name: "another app's aud", token: async (r) => fit({ moduleKey: r.module, aud: `ari:cloud:ecosystem::app/${randomUUID()}` }) },
    { name: 'expired two minutes ago', token: async (r) => fit({ moduleKey: r.module, expiresIn: -120 }) },
    { name: 'another module of the app', token: async (r) => fit({ moduleKey: r.module === 'tasks-resolver' ? FORGE_MIGRATION_MODULE_KEY : 'tasks-resolver' }) },
    { name: 'a user token on a migration hook', token: async (r) => fit({ moduleKey: r.module, principal: 'user-1' }), only: (r) => r.migration === true },
  ];

  it('refuses every Forge route under every attack with 401 and the full header set', async () => {
    const seen: string[] = [];
    for (const route of routes) {
      for (const attack of attacks().filter((a) => !a.only || a.only(route))) {
        const res = await send(route.method, route.path, await attack.token(route), route.body);
        const label = `${route.method} ${route.path} (${attack.name})`;
        seen.push(label);
        expect([label, res.status, await res.text()]).toEqual([label, 401, '{"error":"unauthorized"}']);
        expect([label, headerProblems(res.headers)]).toEqual([label, []]);
      }
    }
    expect(seen).toHaveLength(8 * 5 + 5);
  });

  it('still lists the tasks of the installation after the attacks, and wrote none for them', async () => {
    const listed = await send('GET', '/tasks', await fit({ moduleKey: 'tasks-resolver' }));
    expect(((await listed.json()) as { tasks: { title: string }[] }).tasks.map((t) => t.title)).toEqual(['first']);
  });
});

describe('npm run dev --app with a module that is not an app', () => {
  it.each([
    ['a missing file', 'examples/no-such-app.ts', /^--app examples\/no-such-app\.ts: no such file/],
    ['a module without a default export', 'dev/dev-client.ts', /^--app dev\/dev-client\.ts has no default export; expected `export default defineApp/],
    ['a module whose default export is not an app', 'test/fixtures/not-an-app.ts', /^--app test\/fixtures\/not-an-app\.ts: its default export is object, not an app made by defineApp/],
  ])('stops on %s with one clear line', async (_what, entry, message) => {
    const dev = startDevServer(['--app', entry]);
    const error = await dev.url.then(() => '', (e: Error) => e.message);
    const printed = error.replace(/^dev server exited with 1: /, '').split('\n').filter((l) => l !== '' && !/NodeVersionSupportWarning|AWS SDK|versions published|will require|To continue|and security|More information|trace-warnings/.test(l));
    expect(printed).toEqual([expect.stringMatching(message)]);
  });
});
