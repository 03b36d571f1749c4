import { generateKeyPairSync } from 'node:crypto';
import { AsymmetricAlgorithm, encodeAsymmetric, SymmetricAlgorithm } from 'atlassian-jwt';
import { AuthError, CONTEXT_QSH, MAX_TOKEN_BYTES, extractToken, verifyConnectJwt } from '../../../runtime/connect-auth';
import { b64url, claimsFor, connectOptions, handmade, NOW, referenceQsh, signed } from './tokens';

const request = { method: 'GET', url: '/issues/panel?issueKey=PRJ-1&lic=active' };
const valid = claimsFor(request);
const HEADER = JSON.stringify({ typ: 'JWT', alg: 'HS256' });

async function refuses(token: string, reason: string, options = connectOptions(), req = request): Promise<void> {
  const verifying = verifyConnectJwt(token, req, options);
  await expect(verifying).rejects.toBeInstanceOf(AuthError);
  await expect(verifying).rejects.toMatchObject({ status: 401, reason });
}

describe('verifyConnectJwt refusals', () => {
  it('accepts the valid token that every refusal below varies in one way', async () => {
    await expect(verifyConnectJwt(signed(valid), request, connectOptions())).resolves.toMatchObject({ iss: 'tenant-a', qsh: valid.qsh });
    await expect(verifyConnectJwt(handmade(HEADER, JSON.stringify(valid)), request, connectOptions())).resolves.toMatchObject({ iss: 'tenant-a' });
  });

  it('refuses alg none', async () => {
    const payload = JSON.stringify(valid);
    await refuses(handmade(JSON.stringify({ typ: 'JWT', alg: 'none' }), payload), 'alg not HS256');
    await refuses(`${b64url('{"alg":"none"}')}.${b64url(payload)}.`, 'alg not HS256');
  });
  it('refuses a token signed with HS512', () => refuses(signed(valid, undefined, SymmetricAlgorithm.HS512), 'alg not HS256'));
  it('refuses an RS256 token where HS256 is expected', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    await refuses(encodeAsymmetric(valid, privateKey, AsymmetricAlgorithm.RS256), 'alg not HS256');
  });
  it('refuses a header without alg', () => refuses(handmade('{"typ":"JWT"}', JSON.stringify(valid)), 'alg not HS256'));
  it('refuses a header whose typ is not JWT', () => refuses(handmade('{"alg":"HS256","typ":"JWE"}', JSON.stringify(valid)), 'typ not JWT'));
  it('refuses a header with crit', () => refuses(handmade('{"alg":"HS256","crit":["exp"]}', JSON.stringify(valid)), 'crit not supported'));
  it('refuses a token signed with another secret', () => refuses(signed(valid, 'not-the-shared-secret'), 'bad signature'));
  it('refuses a forged token for its signature before reading any other claim', () => refuses(signed({ ...valid, exp: NOW - 999, qsh: 'x' }, 'forger'), 'bad signature'));
  it('refuses a token whose signature is cut short', () => refuses(signed(valid).slice(0, -2), 'bad signature'));
  it('refuses an unknown iss', () => refuses(signed({ ...valid, iss: 'tenant-nobody-knows' }), 'unknown issuer'));
  it('refuses an uninstalled tenant (secretFor returns undefined)', async () => {
    const uninstalled = connectOptions({ secretFor: async (key) => (key === 'tenant-a' ? undefined : 'x') });
    await refuses(signed(valid), 'unknown issuer', uninstalled);
  });
  it('refuses a token without iss', () => refuses(signed({ ...valid, iss: undefined }), 'missing iss'));

  it('refuses an expired token', () => refuses(signed({ ...valid, exp: NOW - 31 }), 'expired'));
  it('refuses a token that expired exactly at the end of the leeway', () => refuses(signed({ ...valid, exp: NOW - 30 }), 'expired'));
  it('refuses iat in the future beyond the leeway', () => refuses(signed({ ...valid, iat: NOW + 31 }), 'issued in the future'));
  it('refuses nbf in the future beyond the leeway', () => refuses(signed({ ...valid, nbf: NOW + 31 }), 'not yet valid'));
  it('refuses a token without exp or iat', async () => {
    await refuses(signed({ ...valid, exp: undefined }), 'missing exp');
    await refuses(signed({ ...valid, iat: '2025-01-01' }), 'missing iat');
  });
  it('accepts exp, iat and nbf within the 30 s leeway', async () => {
    const skewed = signed({ ...valid, exp: NOW - 29, iat: NOW + 30, nbf: NOW + 30 });
    await expect(verifyConnectJwt(skewed, request, connectOptions())).resolves.toMatchObject({ exp: NOW - 29 });
    await refuses(skewed, 'expired', connectOptions({ leewaySeconds: 0 }));
  });

  it('refuses a token without qsh', () => refuses(signed({ ...valid, qsh: undefined }), 'missing qsh'));
  it('refuses a qsh computed for another method', () => refuses(signed({ ...valid, qsh: referenceQsh('POST', request.url) }), 'qsh mismatch'));
  it('refuses a qsh computed for another path', () => refuses(signed({ ...valid, qsh: referenceQsh('GET', '/issues/admin?issueKey=PRJ-1&lic=active') }), 'qsh mismatch'));
  it('refuses a qsh computed for another query', () => refuses(signed({ ...valid, qsh: referenceQsh('GET', '/issues/panel?issueKey=PRJ-2&lic=active') }), 'qsh mismatch'));
  it('refuses context-qsh on a route not declared for it, and accepts it on one that is', async () => {
    const context = signed({ ...valid, qsh: CONTEXT_QSH });
    await refuses(context, 'context-qsh not allowed');
    await expect(verifyConnectJwt(context, request, connectOptions({ allowContextQsh: true }))).resolves.toMatchObject({ qsh: CONTEXT_QSH });
  });

  it('refuses malformed base64 (padding, + and /)', async () => {
    const [h, p, s] = signed(valid).split('.');
    await refuses(`${h}=.${p}.${s}`, 'malformed header');
    await refuses(`${h}.${p!.replace(/-|_|[a-z]/, '+')}.${s}`, 'malformed payload');
    await refuses(`${h}.${p}=.${s}`, 'malformed payload');
    // The signature must be the one canonical base64url text of the expected MAC.
    await refuses(`${h}.${p}.${s!.slice(0, -1)}/`, 'bad signature');
    await refuses(`${h}.${p}.${s}=`, 'bad signature');
    await refuses(`${h}.${p}.${s}.`, 'malformed token');
    // A segment of length 1 mod 4 is not base64 at all (Buffer would silently drop a character).
    const oddPayload = p + 'A'.repeat((5 - (p!.length % 4)) % 4);
    expect(oddPayload.length % 4).toBe(1);
    await refuses(`${h}.${oddPayload}.${s}`, 'malformed payload');
  });
  it('refuses a malformed JSON header', () => refuses(handmade('{"alg":"HS256",', JSON.stringify(valid)), 'malformed header'));
  it('refuses a header that is not an object', () => refuses(handmade('["HS256"]', JSON.stringify(valid)), 'header not an object'));
  it('refuses a malformed JSON payload', () => refuses(handmade(HEADER, '{"iss":"tenant-a"'), 'malformed payload'));
  it('refuses a payload that is not an object', async () => {
    for (const payload of ['"tenant-a"', '[{"iss":"tenant-a"}]', 'null', '42']) await refuses(handmade(HEADER, payload), 'payload not an object');
  });
  it('refuses a token over 8 KB without parsing it', async () => {
    const big = signed({ ...valid, padding: 'x'.repeat(MAX_TOKEN_BYTES) });
    expect(big.length).toBeGreaterThan(MAX_TOKEN_BYTES);
    await refuses(big, 'token too large');
    await refuses('!'.repeat(MAX_TOKEN_BYTES + 1), 'token too large');
  });
  it('refuses two segments and four segments', async () => {
    const token = signed(valid);
    await refuses(token.slice(0, token.lastIndexOf('.')), 'malformed token');
    await refuses(`${token}.${token.split('.')[2]}`, 'malformed token');
  });
  it('refuses garbage without throwing anything but AuthError', async () => {
    for (const garbage of ['', '.', '..', 'a.b.c', 'é.é.é', '\u0000', undefined, null, 42, {}] as unknown[]) {
      await expect(verifyConnectJwt(garbage as string, request, connectOptions())).rejects.toMatchObject({ name: 'AuthError', status: 401 });
    }
  });
});

describe('extractToken refusals', () => {
  const token = signed(valid);
  const req = (parts: { rawQuery?: string; authorization?: string; form?: string }) => ({
    method: 'POST',
    path: '/issues/panel',
    rawQuery: parts.rawQuery ?? '',
    headers: { authorization: parts.authorization, 'content-type': parts.form === undefined ? undefined : 'application/x-www-form-urlencoded' },
    body: parts.form,
  });

  it('accepts the token in exactly one place', () => {
    expect(extractToken(req({ authorization: `JWT ${token}` }))).toBe(token);
  });
  it('refuses a request without a token', () => {
    expect(() => extractToken(req({}))).toThrow(expect.objectContaining({ status: 401, reason: 'no token' }));
  });
  it('refuses a token in the query and the header, even the same token', () => {
    expect(() => extractToken(req({ rawQuery: `jwt=${token}`, authorization: `JWT ${token}` }))).toThrow(expect.objectContaining({ status: 401, reason: 'token in more than one place' }));
  });
  it('refuses a token in the header and a form field', () => {
    expect(() => extractToken(req({ form: `jwt=${token}`, authorization: `JWT ${token}` }))).toThrow(expect.objectContaining({ status: 401, reason: 'token in more than one place' }));
  });
});
