import { encodeSymmetric } from 'atlassian-jwt';
import { generateKeyPair, SignJWT } from 'jose';
import { FORGE_APP_ROUTES, forgeAuthenticator } from '../../../runtime/app';
import { FORGE_MIGRATION_HOOK_PATH, FORGE_MIGRATION_MODULE_KEY } from '../../../runtime/app/routes';
import { AuthError } from '../../../runtime/connect-auth';
import { forgeAudience, verifyForgeInvocationToken } from '../../../runtime/connect-auth/forge-invocation-token';
import { AppRequest } from '../../../runtime/http/request';
import { FORGE_API_BASE_URL, FORGE_APP_ARI, FORGE_APP_ID, forgeSigner, ForgeSigner } from './forge-tokens';

let signer: ForgeSigner;
beforeAll(async () => {
  signer = await forgeSigner();
});

const INSTALLATION = 'ari:cloud:ecosystem::installation/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';
const verify = (token: string, now = Date.now) => verifyForgeInvocationToken(token, { appId: FORGE_APP_ID, keys: signer.keys, now });

/** The reason an AuthError refusal gives (failing the test when there is none). */
async function reason(call: Promise<unknown>): Promise<string> {
  const outcome = await call.then(() => undefined, (err: unknown) => err);
  if (!(outcome instanceof AuthError)) throw new Error(`expected an AuthError, got ${String(outcome)}`);
  expect(outcome.status).toBe(401);
  return outcome.reason;
}

describe('verifyForgeInvocationToken', () => {
  it("accepts a token Forge signed for this app and returns its installation", async () => {
    const claims = await verify(await signer.token(INSTALLATION, { principal: 'account-1' }));
    expect(claims.app.installationId).toBe(INSTALLATION);
    expect(claims.principal).toBe('account-1');
    expect(claims.iss).toBe('forge/invocation-token');
  });

  it('takes the app id as a plain id or as its ARI', async () => {
    expect(forgeAudience(FORGE_APP_ID)).toBe(FORGE_APP_ARI);
    expect(forgeAudience(FORGE_APP_ARI)).toBe(FORGE_APP_ARI);
    expect(() => forgeAudience('app/../x')).toThrow(/plain id or ari:cloud:ecosystem::app\/<id>/);
  });

  it('refuses a token for another app', async () => {
    expect(await reason(verify(await signer.token(INSTALLATION, { aud: 'ari:cloud:ecosystem::app/another-app' })))).toBe('aud not accepted');
  });

  it('refuses a token from another issuer, or none', async () => {
    expect(await reason(verify(await signer.token(INSTALLATION, { iss: 'someone-else' })))).toBe('iss not accepted');
    expect(await reason(verify(await signer.token(INSTALLATION, { iss: '' })))).toBe('missing iss');
  });

  it('refuses an expired token, beyond the leeway', async () => {
    const token = await signer.token(INSTALLATION, { expiresIn: '1s' });
    expect(await reason(verify(token, () => Date.now() + 60_000))).toBe('expired');
    await expect(verify(token, () => Date.now() + 20_000)).resolves.toBeDefined();
  });

  it('refuses a token signed by a key that is not in the key set', async () => {
    const stranger = await forgeSigner('stranger-key');
    expect(await reason(verify(await stranger.token(INSTALLATION)))).toBe('kid not in the key set');
  });

  it("refuses a token signed by another key under the key set's kid", async () => {
    const impostor = await forgeSigner('forge-test-key');
    expect(await reason(verify(await impostor.token(INSTALLATION)))).toBe('bad signature');
  });

  it('refuses a token that is not RS256: HS256, alg none', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: 'forge/invocation-token', aud: FORGE_APP_ARI, iat: now, exp: now + 60, app: { installationId: INSTALLATION } };
    expect(await reason(verify(encodeSymmetric(claims, 'a-guessed-secret')))).toBe('alg not RS256');
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
    expect(await reason(verify(none))).toBe('alg not RS256');
    const { privateKey } = await generateKeyPair('PS256');
    const ps256 = await new SignJWT(claims).setProtectedHeader({ alg: 'PS256', kid: 'forge-test-key' }).sign(privateKey);
    expect(await reason(verify(ps256))).toBe('alg not RS256');
  });

  it('refuses a token without an installation', async () => {
    expect(await reason(verify(await signer.token(INSTALLATION, { app: { id: FORGE_APP_ARI } })))).toBe('missing app.installationId');
    expect(await reason(verify(await signer.token(INSTALLATION, { app: { installationId: 42 } })))).toBe('missing app.installationId');
  });

  it('refuses malformed and oversized tokens before any key is looked at', async () => {
    expect(await reason(verify('not.a.token'))).toBe('malformed token');
    expect(await reason(verify(`${'a'.repeat(9000)}.b.c`))).toBe('token too large');
  });
});

describe('forgeAuthenticator', () => {
  const request = (authorization?: string): AppRequest => ({
    method: 'POST', path: '/forge/migration/schedule', rawQuery: '', headers: authorization === undefined ? {} : { authorization },
  });
  const auth = () => forgeAuthenticator({ appId: FORGE_APP_ARI, keys: signer.keys });
  const forgeRoute = { method: 'POST', path: '/forge/migration/schedule', auth: 'forge' } as const;

  it('names the installation as the tenant, the principal as the account and the API base URL as the site', async () => {
    expect(await auth()(request(`Bearer ${await signer.token(INSTALLATION, { principal: 'acc' })}`), forgeRoute)).toEqual({
      clientKey: INSTALLATION, installationId: INSTALLATION, accountId: 'acc', site: FORGE_API_BASE_URL,
    });
  });

  it("takes on a route with forgeModules only tokens of those modules", async () => {
    const route = { ...forgeRoute, path: '/forge/items', forgeModules: ['items-resolver', 'items-trigger'] };
    await expect(auth()(request(`Bearer ${await signer.token(INSTALLATION, { module: 'items-trigger' })}`), route)).resolves.toMatchObject({ clientKey: INSTALLATION });
    expect(await reason(auth()(request(`Bearer ${await signer.token(INSTALLATION, { module: 'other-panel' })}`), route))).toBe('module "other-panel" may not call this route');
    expect(await reason(auth()(request(`Bearer ${await signer.token(INSTALLATION, { module: '' })}`), route))).toBe('missing app.module.key');
  });

  it('takes on the Forge migration hooks only tokens of the migration:dataResidency module without a user', async () => {
    for (const hook of FORGE_APP_ROUTES.filter((r) => r.path.startsWith(FORGE_MIGRATION_HOOK_PATH))) {
      const call = (token: string) => auth()({ ...request(`Bearer ${token}`), method: hook.method, path: hook.path }, hook);
      await expect(call(await signer.token(INSTALLATION, { module: FORGE_MIGRATION_MODULE_KEY }))).resolves.toMatchObject({ clientKey: INSTALLATION });
      expect(await reason(call(await signer.token(INSTALLATION, { module: 'items-resolver' })))).toBe('module "items-resolver" may not call this route');
      expect(await reason(call(await signer.token(INSTALLATION, { principal: 'a-user' })))).toBe('user token on a Forge system route');
    }
  });

  it('refuses a token whose API base URL is not https', async () => {
    expect(await reason(auth()(request(`Bearer ${await signer.token(INSTALLATION, { apiBaseUrl: 'http://api.atlassian.com/ex/jira/x' })}`), forgeRoute))).toBe('malformed app.apiBaseUrl');
  });

  it('reads the token from Authorization: Bearer only', async () => {
    const token = await signer.token(INSTALLATION);
    expect(await reason(auth()(request(), forgeRoute))).toBe('no token');
    expect(await reason(auth()(request(`JWT ${token}`), forgeRoute))).toBe('no token');
    expect(await reason(auth()({ ...request(), rawQuery: `jwt=${token}` }, forgeRoute))).toBe('no token');
  });

  it('never opens a Connect route, even with a valid token', async () => {
    const token = await signer.token(INSTALLATION);
    for (const a of ['connect', 'context', 'install'] as const) {
      expect(await reason(auth()(request(`Bearer ${token}`), { ...forgeRoute, auth: a }))).toBe(`${a} route given to the Forge authenticator`);
    }
  });
});
