import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The dev server's stand-in for Atlassian's install key: an RSA key pair kept in
 * `<dir>/install-key.json` (git-ignored), so `npm run dev:install` can sign installs
 * that `npm run dev` accepts. Deployed functions only ever trust Atlassian's key host.
 */
export interface DevInstallKey {
  readonly kid: string;
  readonly publicPem: string;
  readonly privatePem: string;
}

/** The key id of the dev install key: a plain id, like Atlassian's. */
export const DEV_INSTALL_KID = 'cdk-residency-dev-install-key';

/** Reads the dev install key from `dir`, creating it (mode 0600) on first use. */
export function devInstallKey(dir: string): DevInstallKey {
  const file = join(dir, 'install-key.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DevInstallKey;
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key: DevInstallKey = {
    kid: DEV_INSTALL_KID,
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, JSON.stringify(key, null, 2), { mode: 0o600 });
  return key;
}
