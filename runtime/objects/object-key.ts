/** Longest object key below the tenant's prefix, in UTF-8 bytes (S3 allows 1,024 for the whole key). */
export const MAX_OBJECT_KEY_BYTES = 512;

// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Checks a key of `tenant.objects`: 1 to 512 UTF-8 bytes, no leading `/`, no empty, `.`
 * or `..` segment, no backslash or control characters. S3 keys are flat, but a key that
 * reads like a path escape is refused so no tool downstream (a sync, a local copy) can
 * take it for one.
 */
export function checkObjectKey(key: unknown, what = 'object key'): string {
  const bad = (why: string): never => {
    const shown = typeof key === 'string' ? JSON.stringify(key.slice(0, 60)) : typeof key;
    throw new TypeError(`An ${what} must be 1 to ${MAX_OBJECT_KEY_BYTES} UTF-8 bytes of /-separated segments (${why}), got ${shown}`);
  };
  if (typeof key !== 'string' || key === '') return bad('empty');
  if (Buffer.byteLength(key, 'utf8') > MAX_OBJECT_KEY_BYTES) return bad('too long');
  if (CONTROL_CHARS.test(key) || key.includes('\\')) return bad('control character or backslash');
  if (key.startsWith('/')) return bad('leading /');
  const segments = key.split('/');
  // A trailing "/" is fine in a list prefix, not in a key.
  const inner = what === 'object prefix' && key.endsWith('/') ? segments.slice(0, -1) : segments;
  if (inner.some((s) => s === '' || s === '.' || s === '..')) return bad('empty, . or .. segment');
  return key;
}
