import { randomBytes } from 'node:crypto';
import { DevTenant, installedBody } from '../../../dev/dev-client';
import { LocalTable, startLocalTable } from '../../../dev/local-table';
import { AuthError } from '../../../runtime/connect-auth';
import { createApp, defineApp, inlineAuthentication, routeAuthenticator } from '../../../runtime/app';
import { LocalKeySource } from '../../../runtime/crypto';
import { InMemoryDirectory } from '../../../runtime/directory/in-memory-directory';
import { realmHostsOf } from '../../../runtime/lambda/realm-handler';
import { DynamoTenantStore } from '../../../runtime/tenants';

// EU and DE share one Frankfurt stack: an install is recorded in the directory under the realm
// of the host Atlassian called (each realm's base URL), the stack's own realm for any other host.

const APP_KEY = 'com.example.frankfurt';
let table: LocalTable;
let store: DynamoTenantStore;
const directory = new InMemoryDirectory();
beforeAll(async () => {
  table = await startLocalTable();
  store = new DynamoTenantStore({ client: table.client, tableName: table.tableName, keySource: LocalKeySource.random(), app: APP_KEY, realm: 'EU' });
});
afterAll(() => table.close());

const app = () => createApp({
  app: defineApp({ routes: [] }),
  realm: 'EU',
  appKey: APP_KEY,
  store,
  directory: { directory, realm: 'EU', realmOfHost: realmHostsOf('{"eu.app.example.com":"EU","de.app.example.com":"DE"}')! },
  log: () => undefined,
  authenticate: inlineAuthentication(
    routeAuthenticator({
      connect: async () => {
        throw new AuthError('no context routes in this test');
      },
      // Who signed the install is the install authenticator's concern (tested with real RS256 tokens elsewhere).
      install: async (req) => ({ clientKey: String(req.headers['x-test-signer']) }),
    }),
  ),
});

const tenant = (): DevTenant => ({ clientKey: `ck-${randomBytes(6).toString('hex')}`, sharedSecret: randomBytes(32).toString('base64url'), baseUrl: `https://${randomBytes(4).toString('hex')}.atlassian.net` });
const install = (t: DevTenant, host: string) =>
  app().request(`https://${host}/lifecycle/installed`, { method: 'POST', headers: { host, 'x-test-signer': t.clientKey }, body: installedBody(APP_KEY, t) });

describe('the realm an install is recorded under, on a stack of two realms', () => {
  it.each([
    ['de.app.example.com', 'DE'],
    ['DE.App.Example.com:443', 'DE'],
    ['eu.app.example.com', 'EU'],
    ['d1234.cloudfront.net', 'EU'],
  ])('an install through %s is recorded in %s', async (host, realm) => {
    const t = tenant();
    expect((await install(t, host)).status).toBe(204);
    expect(await directory.realmOf(t.clientKey)).toBe(realm);
  });

  it('refuses a malformed RESIDENCY_REALM_HOSTS at cold start with one line saying what it must be', () => {
    for (const bad of ['[', '["de.app.example.com"]', '{"de.app.example.com":7}', '{"DE.app":"DE"}', '{"de.app.example.com":"../x"}']) {
      expect(() => realmHostsOf(bad)).toThrow('RESIDENCY_REALM_HOSTS must be a JSON object of lower-case host names to realm names');
    }
    expect(realmHostsOf(undefined)).toBeUndefined();
  });
});
