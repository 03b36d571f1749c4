import { generateKeyPairSync } from 'node:crypto';
import { importPKCS8, SignJWT } from 'jose';
import { AuthError, CONTEXT_QSH, createInstallKeySource, isPlainKid, verifyInstallJwt, type VerifyInstallOptions } from '../../../runtime/connect-auth';
import { CLIENT_KEY, NOW, NOW_MS, referenceQsh, signed } from './tokens';

const rsaPair = () =>
  generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const atlassian = rsaPair();
const impostor = rsaPair();
const KID = '0e50fccb-239d-4991-a5db-dc850ba3f236';
const GLOBAL = 'https://app.example.com';
const REALM_EU = 'https://eu.app.example.com';
const request = { method: 'POST', url: '/installed' };

interface InstallTokenParts { claims?: Record<string, unknown>; header?: Record<string, unknown>; privateKey?: string }

async function installToken({ claims = {}, header = {}, privateKey = atlassian.privateKey }: InstallTokenParts = {}): Promise<string> {
  return new SignJWT({ iss: CLIENT_KEY, aud: GLOBAL, iat: NOW - 10, exp: NOW + 170, qsh: referenceQsh(request.method, request.url), ...claims })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: KID, ...header })
    .sign(await importPKCS8(privateKey, 'RS256'));
}

/** Options with a key source that serves Atlassian's key under KID and records every kid asked for. */
function installOptions(): VerifyInstallOptions & { asked: string[] } {
  const asked: string[] = [];
  const publicKeyFor = async (kid: string) => {
    asked.push(kid);
    if (kid !== KID) throw new AuthError('unknown kid');
    return atlassian.publicKey;
  };
  return { publicKeyFor, audiences: [GLOBAL, REALM_EU], clientKey: CLIENT_KEY, now: () => NOW_MS, asked };
}

/** Asserts the refusal and returns the kids the key source was asked for. */
async function refuses(token: string | Promise<string>, reason: string, options = installOptions()): Promise<string[]> {
  await expect(verifyInstallJwt(await token, request, options)).rejects.toMatchObject({ name: 'AuthError', status: 401, reason });
  return options.asked;
}

describe('verifyInstallJwt', () => {
  it('accepts aud = the Global base URL', async () => {
    await expect(verifyInstallJwt(await installToken(), request, installOptions())).resolves.toMatchObject({ iss: CLIENT_KEY, aud: GLOBAL });
  });
  it('accepts aud = a realm base URL', async () => {
    await expect(verifyInstallJwt(await installToken({ claims: { aud: REALM_EU } }), request, installOptions())).resolves.toMatchObject({ aud: REALM_EU });
  });

  it('refuses kid ../x without fetching a key', async () => {
    expect(await refuses(installToken({ header: { kid: '../x' } }), 'kid not a plain id')).toEqual([]);
  });
  it('refuses kid https://evil.example/key without fetching a key', async () => {
    expect(await refuses(installToken({ header: { kid: 'https://evil.example/key' } }), 'kid not a plain id')).toEqual([]);
  });
  it('refuses a token without kid', async () => {
    expect(await refuses(installToken({ header: { kid: undefined } }), 'kid not a plain id')).toEqual([]);
  });
  it('refuses aud that is not one of the app base URLs', () => refuses(installToken({ claims: { aud: 'https://evil.example.com' } }), 'aud not accepted'));
  it('refuses iss that is not the install body clientKey', () => refuses(installToken({ claims: { iss: 'another-tenant' } }), 'iss not the clientKey'));
  it('refuses an expired token', () => refuses(installToken({ claims: { exp: NOW - 31 } }), 'expired'));
  it('refuses iat in the future beyond the leeway', () => refuses(installToken({ claims: { iat: NOW + 31 } }), 'issued in the future'));
  it('refuses a qsh computed for another request', () => refuses(installToken({ claims: { qsh: referenceQsh('POST', '/uninstalled') } }), 'qsh mismatch'));
  it('refuses context-qsh on an install hook', () => refuses(installToken({ claims: { qsh: CONTEXT_QSH } }), 'context-qsh not allowed'));
  it('refuses an HS256 token without fetching a key', async () => {
    const hs256 = signed({ iss: CLIENT_KEY, aud: GLOBAL, iat: NOW, exp: NOW + 60, qsh: referenceQsh(request.method, request.url) }, 'secret');
    expect(await refuses(hs256, 'alg not RS256')).toEqual([]);
  });
  it('refuses a token self-signed with another key pair under a real kid', async () => {
    expect(await refuses(installToken({ privateKey: impostor.privateKey }), 'bad signature')).toEqual([KID]);
  });
  it('refuses a token over 8 KB', () => refuses(installToken({ claims: { padding: 'x'.repeat(9000) } }), 'token too large'));
});


describe('isPlainKid', () => {
  it('accepts plain ids and refuses paths, URLs, escapes and empty', () => {
    for (const kid of [KID, 'key_1.pem', 'A']) expect(isPlainKid(kid)).toBe(true);
    for (const kid of ['', '../x', '.hidden', 'a/b', 'https://evil.example/key', '%2e%2e', 'a b', 'x'.repeat(129), 'é']) expect(isPlainKid(kid)).toBe(false);
  });
});

describe('createInstallKeySource', () => {
  /** A real fetch stand-in that records each call and answers with `respond`. */
  function fakeFetch(respond: (url: string) => Response | Promise<Response>) {
    const calls: { url: string; init?: RequestInit }[] = [];
    const fetch = (async (input: Parameters<typeof globalThis.fetch>[0], init?: RequestInit) => {
      calls.push({ url: String(input), init });
      return respond(String(input));
    }) as typeof globalThis.fetch;
    return { fetch, calls };
  }

  it('requests exactly https://connect-install-keys.atlassian.com/<kid>, without following redirects', async () => {
    const fake = fakeFetch(() => new Response(atlassian.publicKey));
    await expect(createInstallKeySource({ fetch: fake.fetch })(KID)).resolves.toBe(atlassian.publicKey);
    expect(fake.calls.map((c) => c.url)).toEqual([`https://connect-install-keys.atlassian.com/${KID}`]);
    expect(fake.calls[0]!.init?.redirect).toBe('error');
  });
  it('caches by kid: a second call does not fetch', async () => {
    const fake = fakeFetch(() => new Response(atlassian.publicKey));
    const keyFor = createInstallKeySource({ fetch: fake.fetch });
    await keyFor(KID);
    await expect(keyFor(KID)).resolves.toBe(atlassian.publicKey);
    expect(fake.calls).toHaveLength(1);
  });
  it('refuses a kid that is not a plain id without fetching', async () => {
    const fake = fakeFetch(() => new Response(atlassian.publicKey));
    await expect(createInstallKeySource({ fetch: fake.fetch })('../x')).rejects.toMatchObject({ status: 401, reason: 'kid not a plain id' });
    expect(fake.calls).toHaveLength(0);
  });
  it('refuses a flood of requests for a failed kid with one fetch, and fetches it again once the refusal has expired', async () => {
    let status = 404;
    const fake = fakeFetch(() => new Response(status === 200 ? atlassian.publicKey : 'not found', { status }));
    const keyFor = createInstallKeySource({ fetch: fake.fetch, negativeTtlMs: 50 });
    for (let i = 0; i < 20; i++) await expect(keyFor(KID)).rejects.toMatchObject({ status: 401, reason: 'install key fetch answered 404' });
    expect(fake.calls).toHaveLength(1);
    status = 200;
    await new Promise((resolve) => setTimeout(resolve, 80));
    await expect(keyFor(KID)).resolves.toBe(atlassian.publicKey);
    expect(fake.calls).toHaveLength(2);
  });
  it('refuses a body that is not a PEM public key', async () => {
    const fake = fakeFetch(() => new Response('<html>hello</html>'));
    await expect(createInstallKeySource({ fetch: fake.fetch })(KID)).rejects.toMatchObject({ status: 401, reason: 'install key not a PEM public key' });
  });
  it('refuses a fetch that takes longer than the timeout', async () => {
    const fake = fakeFetch(() => new Promise<Response>(() => undefined));
    await expect(createInstallKeySource({ fetch: fake.fetch, timeoutMs: 20 })(KID)).rejects.toMatchObject({ status: 401, reason: 'install key fetch timed out' });
  });
  it('shares one fetch between concurrent calls for one kid', async () => {
    let answer: (r: Response) => void = () => undefined;
    const fake = fakeFetch(() => new Promise<Response>((resolve) => (answer = resolve)));
    const keyFor = createInstallKeySource({ fetch: fake.fetch });
    const both = Promise.all([keyFor(KID), keyFor(KID)]);
    await new Promise((r) => setImmediate(r));
    answer(new Response(atlassian.publicKey));
    await expect(both).resolves.toEqual([atlassian.publicKey, atlassian.publicKey]);
    expect(fake.calls).toHaveLength(1);
  });
  it('serves verifyInstallJwt end to end', async () => {
    const fake = fakeFetch(() => new Response(atlassian.publicKey));
    const options = { ...installOptions(), publicKeyFor: createInstallKeySource({ fetch: fake.fetch }) };
    await expect(verifyInstallJwt(await installToken({ claims: { aud: REALM_EU } }), request, options)).resolves.toMatchObject({ iss: CLIENT_KEY });
  });
});
