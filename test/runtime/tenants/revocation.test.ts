import { createQueryStringHash, encodeSymmetric, fromMethodAndUrl } from 'atlassian-jwt';
import { verifyConnectJwt } from '../../../runtime/connect-auth';
import { DynamoTenantStore } from '../../../runtime/tenants';
import { payload, StoreFixture } from './store-fixture';

// Two function instances on one table: `warm` has served the tenant (its caches are full), `other` changes the truth.
describe('revocation seen at once by a warm instance', () => {
  let fx: StoreFixture;
  let warm: DynamoTenantStore;
  let other: DynamoTenantStore;
  beforeAll(async () => {
    fx = await StoreFixture.start();
  });
  afterAll(() => fx.close());
  beforeEach(() => {
    warm = fx.store();
    other = fx.store();
  });

  const url = '/pages/notes';
  const token = (clientKey: string, secret: string) => {
    const now = Math.floor(fx.clock.ms / 1000);
    return encodeSymmetric({ iss: clientKey, iat: now, exp: now + 180, qsh: createQueryStringHash(fromMethodAndUrl('GET', url)) }, secret);
  };
  const verify = (store: DynamoTenantStore, clientKey: string, secret: string) =>
    verifyConnectJwt(token(clientKey, secret), { method: 'GET', url }, { secretFor: (k) => store.sharedSecret(k), now: fx.clock.now });

  async function warmUp(name: string) {
    const p = payload(name);
    await other.install(p);
    await warm.dataFor(p.clientKey).put('doc', { text: 'secret data' });
    await expect(verify(warm, p.clientKey, p.sharedSecret)).resolves.toMatchObject({ iss: p.clientKey });
    expect((await warm.dataFor(p.clientKey).get('doc'))?.value).toEqual({ text: 'secret data' });
    return p;
  }

  it('refuses the old secret at once after an uninstall made by another instance', async () => {
    const p = await warmUp('juliet');
    await other.uninstall(p.clientKey);
    await expect(verify(warm, p.clientKey, p.sharedSecret)).rejects.toMatchObject({ status: 401, reason: 'unknown issuer' });
  });

  it('accepts the new secret and refuses the old one at once after a reinstall with a rotated secret', async () => {
    const p = await warmUp('kilo');
    const rotated = { ...p, sharedSecret: 'a-rotated-shared-secret-0123456789abcdef' };
    await other.install(rotated);
    await expect(verify(warm, p.clientKey, rotated.sharedSecret)).resolves.toMatchObject({ iss: p.clientKey });
    await expect(verify(warm, p.clientKey, p.sharedSecret)).rejects.toMatchObject({ status: 401, reason: 'bad signature' });
  });

  it('no longer decrypts shredded data, nor accepts the secret, at once after a shred made by another instance', async () => {
    const p = await warmUp('lima');
    await other.shred(p.clientKey);
    await expect(warm.dataFor(p.clientKey).get('doc')).rejects.toThrow(/has no data key/);
    await expect(verify(warm, p.clientKey, p.sharedSecret)).rejects.toMatchObject({ status: 401, reason: 'unknown issuer' });
  });

  it('still makes no KMS call for a warm tenant (the key cache is kept, only its truth is re-read)', async () => {
    const p = await warmUp('mike');
    fx.kms.resetCounts();
    for (let i = 0; i < 5; i++) await verify(warm, p.clientKey, p.sharedSecret);
    await warm.dataFor(p.clientKey).get('doc');
    expect(fx.kms.total).toBe(0);
  });
});
