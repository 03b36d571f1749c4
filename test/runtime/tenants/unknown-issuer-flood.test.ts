import { createQueryStringHash, encodeSymmetric, fromMethodAndUrl } from 'atlassian-jwt';
import { verifyConnectJwt } from '../../../runtime/connect-auth';
import { HmacSha256 } from '../../../runtime/connect-auth/hmac-sha256';
import { DynamoTenantStore } from '../../../runtime/tenants';
import { payload, StoreFixture } from './store-fixture';

// The attack: tokens from made-up issuers, to learn which clientKeys exist (by how fast each is
// refused) and to make the realm pay a table lookup per token.
describe('a flood of tokens from unknown issuers', () => {
  let fx: StoreFixture;
  let calls: number;
  beforeAll(async () => {
    fx = await StoreFixture.start();
    fx.table.client.middlewareStack.add((next) => (args) => (calls++, next(args)), { step: 'initialize', name: 'countCalls' });
  });
  afterAll(() => fx.close());
  beforeEach(() => {
    calls = 0;
  });

  const url = '/pages/notes';
  const token = (iss: string, secret: string) => {
    const now = Math.floor(fx.clock.ms / 1000);
    return encodeSymmetric({ iss, iat: now, exp: now + 180, qsh: createQueryStringHash(fromMethodAndUrl('GET', url)) }, secret);
  };
  const verify = (store: DynamoTenantStore, iss: string, secret: string) => verifyConnectJwt(token(iss, secret), { method: 'GET', url }, { secretFor: (k) => store.sharedSecret(k), now: fx.clock.now });

  it('costs one lookup per unknown issuer while it is remembered, then looks again', async () => {
    const store = fx.store({ unknownTenants: { ttlMs: 5_000, sleep: async () => undefined } });
    for (let i = 0; i < 100; i++) await expect(verify(store, 'client-nobody', 'a-guessed-secret-0123456789abcdef')).rejects.toMatchObject({ status: 401, reason: 'unknown issuer' });
    // One record and one key read for the first token, none for the other 99.
    expect(calls).toBe(2);
    fx.clock.advance(5_001);
    await expect(verify(store, 'client-nobody', 'a-guessed-secret-0123456789abcdef')).rejects.toMatchObject({ reason: 'unknown issuer' });
    expect(calls).toBe(4);
  });

  it('answers a remembered refusal only after waiting as long as a lookup took', async () => {
    const waits: number[] = [];
    let release: () => void = () => undefined;
    const store = fx.store({ unknownTenants: { sleep: (ms) => (waits.push(ms), new Promise<void>((resolve) => (release = resolve))) } });
    await expect(verify(store, 'client-ghost', 'a-guessed-secret-0123456789abcdef')).rejects.toMatchObject({ reason: 'unknown issuer' });
    expect(waits).toEqual([]);
    let settled = false;
    const second = verify(store, 'client-ghost', 'a-guessed-secret-0123456789abcdef').catch((err: unknown) => ((settled = true), err));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled).toBe(false);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(0);
    release();
    await expect(second).resolves.toMatchObject({ reason: 'unknown issuer' });
  });

  it('does as much signature work for an unknown issuer as for a known one with a bad signature', async () => {
    const store = fx.store({ unknownTenants: { sleep: async () => undefined } });
    const known = payload('oscar');
    await store.install(known);
    const macs = jest.spyOn(HmacSha256.prototype, 'base64url');
    try {
      await expect(verify(store, known.clientKey, 'not-the-secret-0123456789abcdef')).rejects.toMatchObject({ reason: 'bad signature' });
      const forKnown = macs.mock.calls.length;
      await expect(verify(store, 'client-unknown-oscar', 'not-the-secret-0123456789abcdef')).rejects.toMatchObject({ reason: 'unknown issuer' });
      expect(forKnown).toBe(1);
      expect(macs.mock.calls.length - forKnown).toBe(1);
    } finally {
      macs.mockRestore();
    }
  });

  it('sees an install made on this instance at once, though the clientKey was just refused as unknown', async () => {
    const store = fx.store({ unknownTenants: { ttlMs: 60_000, sleep: async () => undefined } });
    const p = payload('papa');
    await expect(verify(store, p.clientKey, p.sharedSecret)).rejects.toMatchObject({ reason: 'unknown issuer' });
    await store.install(p);
    await expect(verify(store, p.clientKey, p.sharedSecret)).resolves.toMatchObject({ iss: p.clientKey });
  });

  it('never remembers an uninstalled tenant: its reinstall on another instance is accepted at once', async () => {
    const warm = fx.store({ unknownTenants: { ttlMs: 60_000, sleep: async () => undefined } });
    const other = fx.store();
    const p = payload('quebec');
    await other.install(p);
    await other.uninstall(p.clientKey);
    await expect(verify(warm, p.clientKey, p.sharedSecret)).rejects.toMatchObject({ reason: 'unknown issuer' });
    await other.install(p);
    await expect(verify(warm, p.clientKey, p.sharedSecret)).resolves.toMatchObject({ iss: p.clientKey });
  });
});
