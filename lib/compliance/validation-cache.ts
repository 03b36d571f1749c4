import { join } from 'node:path';

/**
 * Names the validation cache folder, or turns the cache off: unset, the cache is
 * `node_modules/.cache/cdk-residency/validation` under the working directory (where build tools
 * keep theirs); `off` (or `0`, `false`) validates everything afresh; any other value is the folder.
 */
export const VALIDATION_CACHE_ENV = 'RESIDENCY_VALIDATION_CACHE';

/** The validation cache folder, or undefined when RESIDENCY_VALIDATION_CACHE turns the cache off. */
export function validationCacheDir(): string | undefined {
  const value = process.env[VALIDATION_CACHE_ENV]?.trim();
  if (value && ['off', '0', 'false'].includes(value.toLowerCase())) return undefined;
  return value || join(process.cwd(), 'node_modules', '.cache', 'cdk-residency', 'validation');
}
