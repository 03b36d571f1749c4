import { LRUCache } from 'lru-cache';
import { AuthError } from './auth-error';

/** Where Atlassian publishes the public keys that sign install and uninstall requests. */
export const INSTALL_KEYS_ORIGIN = 'https://connect-install-keys.atlassian.com';

const PLAIN_KID = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;
const PEM = /^-----BEGIN PUBLIC KEY-----\r?\n[A-Za-z0-9+/=\r\n]+-----END PUBLIC KEY-----\s*$/;
const MAX_PEM_CHARS = 16 * 1024;

/**
 * Whether `kid` is a plain key id (1-128 letters, digits, `-`, `_` or `.`, not starting
 * with `.`), safe to append to the key URL: never empty, a path (`../x`), a URL or `%`-escaped.
 */
export function isPlainKid(kid: string): boolean {
  return typeof kid === 'string' && PLAIN_KID.test(kid);
}

/** How `createInstallKeySource` fetches and caches keys. */
export interface InstallKeySourceOptions {
  /** The fetch to use. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** The only origin keys are fetched from. @default https://connect-install-keys.atlassian.com */
  origin?: string;
  /** How many keys to keep. @default 100 */
  maxCached?: number;
  /** How long one fetch may take, in milliseconds. @default 5000 */
  timeoutMs?: number;
  /** How long a failed kid is refused without fetching again, in milliseconds (bounded like the keys). @default 60000 */
  negativeTtlMs?: number;
}

/**
 * A `publicKeyFor(kid)` for `verifyInstallJwt` that fetches `${origin}/${kid}` (plain kids
 * only, no redirects) and returns the PEM. Keys never change under a kid, so each is cached
 * (bounded, least recently used first out); concurrent calls for one kid share one fetch.
 * A refused kid, a non-200 answer, a body that is not a PEM public key, or a timeout is an
 * AuthError 401, remembered for `negativeTtlMs` so a flood of made-up kids does not make a fetch each.
 */
export function createInstallKeySource(options: InstallKeySourceOptions = {}): (kid: string) => Promise<string> {
  const fetchKey = options.fetch ?? globalThis.fetch;
  const origin = (options.origin ?? INSTALL_KEYS_ORIGIN).replace(/\/$/, '');
  const timeoutMs = options.timeoutMs ?? 5000;
  const cache = new LRUCache<string, Promise<string>>({ max: options.maxCached ?? 100 });
  const failed = new LRUCache<string, AuthError>({ max: options.maxCached ?? 100, ttl: options.negativeTtlMs ?? 60_000 });

  async function load(kid: string): Promise<string> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    // Raced as well as aborted, so a fetch that ignores its signal still times out.
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new AuthError('install key fetch timed out'));
      }, timeoutMs);
    });
    const fetched = (async () => {
      const response = await fetchKey(`${origin}/${kid}`, { signal: controller.signal, redirect: 'error' });
      if (response.status !== 200) throw new AuthError(`install key fetch answered ${response.status}`);
      const pem = await response.text();
      if (pem.length > MAX_PEM_CHARS || !PEM.test(pem)) throw new AuthError('install key not a PEM public key');
      return pem;
    })();
    try {
      return await Promise.race([fetched, timeout]);
    } catch (error) {
      throw error instanceof AuthError ? error : new AuthError('install key fetch failed');
    } finally {
      clearTimeout(timer);
      fetched.catch(() => undefined); // settled or abandoned after a timeout: never unhandled
    }
  }

  return (kid: string) => {
    if (!isPlainKid(kid)) return Promise.reject(new AuthError('kid not a plain id'));
    const cached = cache.get(kid);
    if (cached !== undefined) return cached;
    const refused = failed.get(kid);
    if (refused !== undefined) return Promise.reject(refused);
    const pending = load(kid);
    cache.set(kid, pending);
    pending.catch((error: AuthError) => {
      if (cache.peek(kid) === pending) cache.delete(kid);
      failed.set(kid, error);
    });
    return pending;
  };
}
