// FIT verification cost: verifyForgeInvocationToken (claims, module binding included via the
// authenticator's checks) beside jose's bare jwtVerify on the same tokens, key set cached.
import { createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { verifyForgeInvocationToken } from '../runtime/connect-auth/forge-invocation-token';

const APP = 'ari:cloud:ecosystem::app/7b3f5c1e-1d2a-4c5b-9e8f-0a1b2c3d4e5f';
const N = 2000;

async function main(): Promise<void> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' }] });
  const tokens = await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      new SignJWT({ app: { id: APP, installationId: `ari:cloud:ecosystem::installation/${i}`, apiBaseUrl: 'https://api.atlassian.com/ex/jira/c', module: { key: 'm' } } })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer('forge/invocation-token').setAudience(APP).setIssuedAt().setExpirationTime('10m').sign(privateKey),
    ),
  );
  const time = async (name: string, fn: (t: string) => Promise<unknown>) => {
    for (let i = 0; i < 200; i++) await fn(tokens[i % tokens.length]!); // warm-up
    const start = process.hrtime.bigint();
    for (let i = 0; i < N; i++) await fn(tokens[i % tokens.length]!);
    const us = Number(process.hrtime.bigint() - start) / 1000 / N;
    console.log(`${name.padEnd(32)} ${us.toFixed(1)} µs/token (${N} tokens, RS256 2048, local key set)`);
  };
  await time('verifyForgeInvocationToken', (t) => verifyForgeInvocationToken(t, { appId: APP, keys }));
  await time('jose jwtVerify (iss, aud)', (t) => jwtVerify(t, keys, { algorithms: ['RS256'], issuer: 'forge/invocation-token', audience: APP }));
}

void main();
