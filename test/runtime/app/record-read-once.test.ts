import { createQueryStringHash, encodeSymmetric, fromMethodAndUrl } from 'atlassian-jwt';
import { AuthContext, connectAuthenticator } from '../../../runtime/app';
import { tenantContextOf } from '../../../runtime/app/tenant-context';
import { RouteSpec } from '../../../runtime/app/routes';
import { DynamoTenantStore } from '../../../runtime/tenants';
import { payload, StoreFixture } from '../tenants/store-fixture';

// The tenant context reuses the record the Connect authenticator read for the same request,
// and revocation stays immediate: every request still reads the record (in the authenticator).
describe('the tenant record read once per Connect request', () => {
  let fx: StoreFixture;
  let reads: string[] = [];
  beforeAll(async () => {
    fx = await StoreFixture.start();
    fx.table.client.middlewareStack.add(
      (next) => (args) => {
        // The document client's input may not be marshalled yet here: `sk` is then a plain string.
        const sk = (args.input as { Key?: { sk?: string | { S?: string } } }).Key?.sk;
        const key = typeof sk === 'string' ? sk : sk?.S;
        if (key !== undefined) reads.push(key.split('#')[0]!);
        return next(args);
      },
      { step: 'initialize', name: 'countReads' },
    );
  });
  afterAll(() => fx.close());

  const route: RouteSpec = { method: 'GET', path: '/pages/notes', auth: 'connect' } as RouteSpec;
  const request = (clientKey: string, secret: string) => {
    const now = Math.floor(fx.clock.ms / 1000);
    const jwt = encodeSymmetric({ iss: clientKey, iat: now, exp: now + 180, qsh: createQueryStringHash(fromMethodAndUrl('GET', '/pages/notes')) }, secret);
    return { method: 'GET', path: '/pages/notes', rawQuery: '', headers: { authorization: `JWT ${jwt}` } };
  };
  const serve = async (store: DynamoTenantStore, auth: AuthContext) => {
    const tenant = await tenantContextOf({ realm: 'EU', store, log: () => undefined }, auth, 'GET /pages/notes');
    return { tenant, doc: await tenant.data.get('doc') };
  };

  it('reads the record once: in the authenticator, which hands its site to the tenant context', async () => {
    const store = fx.store();
    const p = payload('romeo');
    await store.install(p);
    await store.dataFor(p.clientKey).put('doc', { text: 'hello' });
    const authenticate = connectAuthenticator({ tenantFor: (k) => store.liveTenant(k), now: fx.clock.now });
    reads = [];
    const auth = await authenticate(request(p.clientKey, p.sharedSecret), route);
    expect(auth).toEqual({ clientKey: p.clientKey, liveSite: p.baseUrl });
    const { tenant, doc } = await serve(store, auth);
    expect(tenant.site).toBe(p.baseUrl);
    expect(doc?.value).toEqual({ text: 'hello' });
    expect(reads.filter((r) => r === 'RECORD')).toHaveLength(1);
  });

  it('still refuses at once after an uninstall made by another instance', async () => {
    const warm = fx.store();
    const other = fx.store();
    const p = payload('sierra');
    await other.install(p);
    const authenticate = connectAuthenticator({ tenantFor: (k) => warm.liveTenant(k), now: fx.clock.now });
    await serve(warm, await authenticate(request(p.clientKey, p.sharedSecret), route));
    await other.uninstall(p.clientKey);
    await expect(authenticate(request(p.clientKey, p.sharedSecret), route)).rejects.toMatchObject({ status: 401, reason: 'unknown issuer' });
  });

  it('reads the record in the tenant context when no authenticator did (a Forge installation, or secretFor only)', async () => {
    const store = fx.store();
    const p = payload('tango');
    await store.install(p);
    await store.uninstall(p.clientKey);
    reads = [];
    await expect(serve(store, { clientKey: p.clientKey })).rejects.toMatchObject({ status: 401 });
    // A liveSite beside a Forge installation is not taken: the installation's own record decides.
    await expect(serve(store, { clientKey: p.clientKey, installationId: p.clientKey, liveSite: p.baseUrl })).rejects.toThrow(/not registered|no installed tenant/);
    expect(reads.filter((r) => r === 'RECORD')).toHaveLength(1);
    const withSecret = connectAuthenticator({ secretFor: (k) => store.sharedSecret(k), now: fx.clock.now });
    await store.install(p);
    await expect(withSecret(request(p.clientKey, p.sharedSecret), route)).resolves.toEqual({ clientKey: p.clientKey });
  });
});
