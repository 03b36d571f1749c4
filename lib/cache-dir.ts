import { createHash } from 'node:crypto';
import { join } from 'node:path';

/**
 * A build cache folder named by the environment variable `env`: unset, the folder `name` under
 * `node_modules/.cache/cdk-residency` in the working directory (where build tools keep theirs);
 * `off` (or `0`, `false`) no cache; any other value is the folder itself.
 */
export function cacheDir(env: string, name: string): string | undefined {
  const value = process.env[env]?.trim();
  if (value && ['off', '0', 'false'].includes(value.toLowerCase())) return undefined;
  return value || join(process.cwd(), 'node_modules', '.cache', 'cdk-residency', name);
}

/** The sha256 of `parts`, each length-prefixed (so no two lists of parts collide). */
export function digest(...parts: (string | Buffer)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${Buffer.byteLength(part)}:`).update(part);
  return hash.digest('hex');
}
