import { createPublicKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JWK } from 'jose';

/**
 * The dev server's stand-in for Forge: a local Forge app id and the RSA key pair that signs its
 * invocation tokens, kept in `<dir>/forge-key.json` (git-ignored), so `npm run dev:install -- --forge`
 * mints FITs that `npm run dev` verifies against the key's JWKS. Deployed functions only ever
 * trust Forge's own key set.
 */
export interface DevForgeKey {
  /** The local Forge app's ARI: the FITs' `aud`. */
  readonly appAri: string;
  /** The local app environment (`app.environment.id` of the tokens). */
  readonly environmentId: string;
  readonly kid: string;
  readonly privatePem: string;
  /** The JWKS the dev server verifies with, as Forge publishes its own. */
  readonly jwks: { readonly keys: readonly JWK[] };
}

/** The key id of the dev Forge signing key. */
export const DEV_FORGE_KID = 'cdk-residency-dev-forge-key';

/** Reads the dev Forge key from `dir`, creating it (mode 0600) with a fresh local app id on first use. */
export function devForgeKey(dir: string): DevForgeKey {
  const file = join(dir, 'forge-key.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DevForgeKey;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' }) as JWK;
  const key: DevForgeKey = {
    appAri: `ari:cloud:ecosystem::app/${randomUUID()}`,
    environmentId: randomUUID(),
    kid: DEV_FORGE_KID,
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    jwks: { keys: [{ ...jwk, kid: DEV_FORGE_KID, alg: 'RS256', use: 'sig' }] },
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, JSON.stringify(key, null, 2), { mode: 0o600 });
  return key;
}
