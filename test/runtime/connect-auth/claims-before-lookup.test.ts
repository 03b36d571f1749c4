import { randomBytes } from 'node:crypto';
import { LocalTable, startLocalTable } from '../../../dev/local-table';
import { verifyConnectJwt, verifyInstallJwt } from '../../../runtime/connect-auth';
import { LocalKeySource } from '../../../runtime/crypto';
import { LogEntry, connectAuthenticator, createApp, inlineAuthentication, logLine, routeAuthenticator } from '../../../runtime/app';
import { DynamoTenantStore } from '../../../runtime/tenants';
import notes from '../../../examples/notes/app';
import { NOW, NOW_MS, claimsFor, connectOptions, signed } from './tokens';

// Claims are checked before any store lookup, so a hostile iss is a 401, never the store's 500.
const request = { method: 'GET', url: '/pages/notes' };
const hostileIssuers: Array<[string, string]> = [
  ['a C1 control character (U+0085)', 'tenant\u0085{"level":"info","event":"forged"}'],
  ['a C0 control character', 'tenant\u0000a'],
  ['over 512 bytes', 'é'.repeat(257)],
];

describe('iss checked before the secret is looked up', () => {
  let table: LocalTable;
  let store: DynamoTenantStore;
  beforeAll(async () => {
    table = await startLocalTable();
    store = new DynamoTenantStore({ client: table.client, tableName: table.tableName, keySource: LocalKeySource.random(), app: 'com.example.app', realm: 'EU' });
  });
  afterAll(() => table.close());

  it.each(hostileIssuers)('answers 401, not 500, for an iss with %s, without asking the store', async (_what, iss) => {
    const looked: string[] = [];
    const verifying = verifyConnectJwt(signed(claimsFor(request, { iss })), request, connectOptions({ secretFor: async (k) => (looked.push(k), undefined) }));
    await expect(verifying).rejects.toMatchObject({ name: 'AuthError', status: 401, reason: 'iss not a clientKey (over 512 bytes or a control character)' });
    expect(looked).toEqual([]);
    // The real store throws a TypeError (a 500) for such an id: the check must come first.
    await expect(store.sharedSecret(iss)).rejects.toBeInstanceOf(TypeError);
  });

  it('answers 401 in the app for an iss with a control character, and every log line stays one line', async () => {
    const lines: string[] = [];
    const app = createApp({
      app: notes,
      realm: 'EU',
      appKey: 'com.example.app',
      store,
      log: (e: LogEntry) => lines.push(logLine(e)),
      authenticate: inlineAuthentication(routeAuthenticator({ connect: connectAuthenticator({ secretFor: (k) => store.sharedSecret(k) }), install: async () => ({ clientKey: 'x' }) })),
    });
    for (const [, iss] of [...hostileIssuers, ['U+2028', 'tenant\u2028forged'], ['U+2029', 'tenant\u2029forged']]) {
      const now = Math.floor(Date.now() / 1000);
      const token = signed({ ...claimsFor(request), iss, iat: now, exp: now + 60 }, 'any-secret');
      const res = await app.request('/pages/notes', { headers: { authorization: `JWT ${token}` } });
      expect(res.status).toBe(401);
    }
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.slice(0, -1).split(/\r\n|[\n\r\v\f\u0085\u2028\u2029]/)).toHaveLength(1);
  });

  it('logs a value holding every line separator as one JSON line that reads back to the same value', () => {
    const value = 'a\nb\rc\u000bd\u000ce\u0085f\u2028g\u2029h';
    const line = logLine({ level: 'warn', event: 'refused', reason: value });
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1).split(/\r\n|[\n\r\v\f\u0085\u2028\u2029]/)).toHaveLength(1);
    expect(JSON.parse(line).reason).toBe(value);
  });
});

describe('token lifetime capped at what Atlassian issues', () => {
  it('refuses a token living longer than 15 minutes plus leeway (exp - iat), though not expired', async () => {
    const long = signed(claimsFor(request, { iat: NOW - 10, exp: NOW - 10 + 15 * 60 + 31 }));
    await expect(verifyConnectJwt(long, request, connectOptions())).rejects.toMatchObject({ status: 401, reason: 'lifetime longer than Atlassian issues' });
    const year = signed(claimsFor(request, { iat: NOW, exp: NOW + 365 * 24 * 3600 }));
    await expect(verifyConnectJwt(year, request, connectOptions())).rejects.toMatchObject({ reason: 'lifetime longer than Atlassian issues' });
  });

  it('accepts a context token of 15 minutes (what AP.context.getToken issues) and one at the cap plus leeway', async () => {
    await expect(verifyConnectJwt(signed(claimsFor(request, { iat: NOW - 10, exp: NOW - 10 + 15 * 60 })), request, connectOptions())).resolves.toMatchObject({ iss: 'tenant-a' });
    await expect(verifyConnectJwt(signed(claimsFor(request, { iat: NOW - 10, exp: NOW - 10 + 15 * 60 + 30 })), request, connectOptions())).resolves.toMatchObject({ iss: 'tenant-a' });
  });

  it('refuses a signed install token living a day', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const { SignJWT, importPKCS8 } = await import('jose');
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const install = { method: 'POST', url: '/lifecycle/installed' };
    const token = await new SignJWT({ ...claimsFor(install), aud: 'https://app.example.com', iat: NOW - 10, exp: NOW + 24 * 3600 })
      .setProtectedHeader({ alg: 'RS256', kid: `k-${randomBytes(4).toString('hex')}` })
      .sign(await importPKCS8(privateKey, 'RS256'));
    const verifying = verifyInstallJwt(token, install, { publicKeyFor: async () => publicKey, audiences: ['https://app.example.com'], now: () => NOW_MS });
    await expect(verifying).rejects.toMatchObject({ status: 401, reason: 'lifetime longer than Atlassian issues' });
  });
});
