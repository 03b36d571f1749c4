import { allItems } from '../../helpers/all-items';
import { createQueryStringHash, encodeSymmetric, fromMethodAndUrl } from 'atlassian-jwt';
import { AuthError } from '../../../runtime/connect-auth';
import {
  LogEntry, connectAuthenticator, createApp, defineApp, inlineAuthentication, routeAuthenticator,
} from '../../../runtime/app';
import { MigrationEngine } from '../../../runtime/migration';
import { headerProblems } from '../../helpers/security-headers';
import { APP, SOURCE, TARGET, Tenant, TwoRealms } from '../migration/two-realms';

// The migration hooks through the Hono app, with Connect tokens made by atlassian-jwt as
// Atlassian's migration service makes them (HS256 with the shared secret and a real qsh).

let realms: TwoRealms;
let engine: MigrationEngine;
const logs: LogEntry[] = [];
beforeAll(async () => {
  realms = await TwoRealms.start();
  engine = realms.engine();
});
afterAll(() => realms.close());

/** The source realm's app; `migration: null` for a realm without a migration engine. */
const app = ({ migration = engine as MigrationEngine | null, store = realms.source.store } = {}) =>
  createApp({
    app: defineApp({ routes: [] }),
    realm: SOURCE,
    appKey: APP,
    store,
    ...(migration ? { migration } : {}),
    directory: { directory: realms.directory, realm: SOURCE },
    log: (e) => logs.push(e),
    authenticate: inlineAuthentication(
      routeAuthenticator({
        connect: connectAuthenticator({ secretFor: (k) => store.sharedSecret(k) }),
        install: async () => {
          throw new AuthError('no installs in this test');
        },
      }),
    ),
  });

/** A token as Atlassian's migration service signs it: HS256, the tenant's secret, atlassian-jwt's qsh. */
function token(t: { clientKey: string; sharedSecret: string }, method: string, url: string, qsh?: string): string {
  const now = Math.floor(Date.now() / 1000);
  return encodeSymmetric({ iss: t.clientKey, iat: now, exp: now + 180, qsh: qsh ?? createQueryStringHash(fromMethodAndUrl(method, url)) }, t.sharedSecret);
}

async function hook(t: Tenant, method: 'GET' | 'POST', url: string, body?: unknown, auth = `JWT ${token(t, method, url)}`) {
  const res = await app().request(url, {
    method,
    headers: { authorization: auth, 'content-type': 'application/json' },
    ...(body === undefined || method === 'GET' ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: res.status, json: res.status === 204 ? undefined : await res.json(), headers: res.headers };
}

const window = { startTime: '2026-11-01T00:00:00Z', endTime: '2026-11-01T04:00:00Z' };
const everything = async () => [await realms.scan(realms.source), await realms.scan(realms.target)];

describe('migration hooks (Connect)', () => {
  it('migrates a tenant through the five hooks', async () => {
    const t = await realms.seed('connect-e2e', 40, 2);
    expect((await hook(t, 'POST', '/migration/schedule', { ...window, location: TARGET, migrationId: 7001 })).status).toBe(204);
    expect((await hook(t, 'POST', '/migration/start', { ...window, location: TARGET, migrationId: 7001 })).status).toBe(204);
    let status: { status: number; json: unknown } | undefined;
    for (let i = 0; i < 20 && (status?.json as { status?: string } | undefined)?.status !== 'ready-to-commit'; i++) {
      status = await hook(t, 'GET', '/migration/status?migrationId=7001');
      expect(status.status).toBe(200);
    }
    expect(status!.json).toEqual({ status: 'ready-to-commit' });
    expect((await hook(t, 'POST', '/migration/commit', { migrationId: 7001 })).status).toBe(204);
    expect(await realms.directory.realmOf(t.clientKey)).toBe(TARGET);
    expect(await realms.freshStore(realms.target).sharedSecret(t.clientKey)).toBe(t.sharedSecret);
    expect(await allItems(realms.freshStore(realms.target).dataFor(t.clientKey))).toHaveLength(40);
    // The source realm no longer knows the tenant: a function starting there refuses its tokens.
    const url = '/migration/status?migrationId=7001';
    const res = await app({ store: realms.freshStore(realms.source) }).request(url, { headers: { authorization: `JWT ${token(t, 'GET', url)}` } });
    expect(res.status).toBe(401);
  });

  it('refuses a context-qsh token on every migration hook, changing nothing', async () => {
    const t = await realms.seed('context-qsh', 2);
    const before = await everything();
    for (const [method, url] of [['POST', '/migration/schedule'], ['POST', '/migration/start'], ['GET', '/migration/status?migrationId=1'], ['POST', '/migration/commit'], ['POST', '/migration/rollback']] as const) {
      const res = await hook(t, method, url, { ...window, location: TARGET, migrationId: 1 }, `JWT ${token(t, method, url, 'context-qsh')}`);
      expect([url, res.status, res.json]).toEqual([url, 401, { error: 'unauthorized' }]);
    }
    expect(logs.filter((l) => l.reason === 'context-qsh not allowed')).toHaveLength(5);
    expect(await everything()).toEqual(before);
  });

  it.each([
    ['no token', () => ''],
    ['a token signed with another secret', (t: Tenant) => `JWT ${token({ ...t, sharedSecret: 'not-the-secret-0123456789abcdef' }, 'POST', '/migration/schedule')}`],
    ['a token made for another hook', (t: Tenant) => `JWT ${token(t, 'POST', '/migration/commit')}`],
  ])('refuses a schedule with %s (401, JSON, security headers) and changes nothing', async (_what, auth) => {
    const t = await realms.seed(`bad-token-${_what.length}`, 2);
    const before = await everything();
    const res = await hook(t, 'POST', '/migration/schedule', { ...window, location: TARGET, migrationId: 2 }, auth(t));
    expect([res.status, res.json]).toEqual([401, { error: 'unauthorized' }]);
    expect(headerProblems(res.headers)).toEqual([]);
    expect(await everything()).toEqual(before);
  });

  it('binds the status query to the token: a token for one migrationId is refused for another', async () => {
    const t = await realms.seed('status-qsh', 1);
    const res = await hook(t, 'GET', '/migration/status?migrationId=2', undefined, `JWT ${token(t, 'GET', '/migration/status?migrationId=1')}`);
    expect(res.status).toBe(401);
  });

  it('answers an unknown migrationId with 404 and E0001 on start, status, commit and rollback, changing nothing', async () => {
    const t = await realms.seed('unknown-id', 2);
    const before = await everything();
    for (const [method, url, body] of [
      ['POST', '/migration/start', { ...window, location: TARGET, migrationId: 'nope' }],
      ['GET', '/migration/status?migrationId=nope', undefined],
      ['POST', '/migration/commit', { migrationId: 'nope' }],
      ['POST', '/migration/rollback', { migrationId: 'nope' }],
    ] as const) {
      const res = await hook(t, method, url, body);
      expect([url, res.status, res.json]).toEqual([url, 404, { error: 'no migration with this migrationId was scheduled for this tenant', errorResponseCode: 'E0001' }]);
      expect(headerProblems(res.headers)).toEqual([]);
    }
    expect(await everything()).toEqual(before);
  });

  it.each([
    ['a schedule body that is not JSON', 'POST', '/migration/schedule', '{"location":', 'schedule: the body is not JSON'],
    ['a schedule without location', 'POST', '/migration/schedule', { migrationId: 3 }, 'schedule: missing or malformed location'],
    ['a schedule with an object as migrationId', 'POST', '/migration/schedule', { location: TARGET, migrationId: { id: 3 } }, 'schedule: missing or malformed migrationId'],
    ['a start with a location that is not a realm name', 'POST', '/migration/start', { location: 'eu-central-1', migrationId: 3 }, 'start: missing or malformed location'],
    ['a commit without migrationId', 'POST', '/migration/commit', {}, 'commit: missing or malformed migrationId'],
    ['a status without migrationId', 'GET', '/migration/status', undefined, expect.stringMatching(/^status: expected one query parameter migrationId/)],
    ['a status with two migrationIds', 'GET', '/migration/status?migrationId=1&migrationId=2', undefined, expect.stringMatching(/^status: expected one/)],
  ] as const)('answers %s with 400 naming what is wrong, and changes nothing', async (_what, method, url, body, error) => {
    const t = await realms.seed(`malformed-${url.length}-${String(body).length}`, 1);
    const before = await everything();
    const res = await hook(t, method, url, body);
    expect([res.status, res.json]).toEqual([400, { error }]);
    expect(headerProblems(res.headers)).toEqual([]);
    expect(await everything()).toEqual(before);
  });

  it('answers a realm the app does not serve with 400 and E0002', async () => {
    const t = await realms.seed('e0002-app', 1);
    const res = await hook(t, 'POST', '/migration/schedule', { ...window, location: 'JP', migrationId: 9 });
    expect([res.status, res.json]).toEqual([400, { error: 'realm JP is not supported by this app', errorResponseCode: 'E0002' }]);
  });

  it('answers every hook with E0003 in a realm without a migration engine', async () => {
    const t = await realms.seed('e0003', 1);
    for (const [method, url] of [['POST', '/migration/schedule'], ['POST', '/migration/start'], ['GET', '/migration/status?migrationId=1'], ['POST', '/migration/commit'], ['POST', '/migration/rollback']] as const) {
      const res = await app({ migration: null }).request(url, {
        method,
        headers: { authorization: `JWT ${token(t, method, url)}` },
        ...(method === 'POST' ? { body: JSON.stringify({ location: TARGET, migrationId: 1 }) } : {}),
      });
      expect([url, res.status, await res.json()]).toEqual([url, 400, { error: 'this realm does not run data residency migrations', errorResponseCode: 'E0003' }]);
    }
  });

  it('rolls back through the hooks, leaving the source as it was', async () => {
    const t = await realms.seed('rollback-e2e', 12, 1);
    const sourceBefore = await realms.tenantItems(realms.source);
    expect((await hook(t, 'POST', '/migration/schedule', { ...window, location: TARGET, migrationId: 'r-1' })).status).toBe(204);
    expect((await hook(t, 'POST', '/migration/start', { ...window, location: TARGET, migrationId: 'r-1' })).status).toBe(204);
    expect((await hook(t, 'POST', '/migration/rollback', { migrationId: 'r-1' })).status).toBe(204);
    expect(await realms.tenantItems(realms.source)).toEqual(sourceBefore);
    expect((await hook(t, 'GET', '/migration/status?migrationId=r-1')).json).toEqual({ status: 'rolled-back' });
  });
});
