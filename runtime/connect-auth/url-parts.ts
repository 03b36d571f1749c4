import { AuthError } from './auth-error';

/** The pathname and raw query string of a request URL, split as atlassian-jwt splits them. */
export interface UrlParts {
  /** The pathname as received (never decoded); undefined when the URL has none. */
  readonly pathname: string | undefined;
  /** The query string without `?`; undefined when there is none. */
  readonly query: string | undefined;
}

// The patterns of Node's legacy `url.parse`, which atlassian-jwt uses (lib/url.js).
const SIMPLE_PATH = /^(\/\/?(?!\/)[^?\s]*)(\?[^\s]*)?$/;
const PROTOCOL = /^[a-z0-9.+-]+:/i;
const HOST = /^\/\/[^@/]+@[^@/]+/;
const AUTO_ESCAPE = /[\t\n\r "'<>\\^`{|}]/g;
const escapeChar = (c: string) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
const isSpace = (code: number) => code < 33 || code === 0xa0 || code === 0xfeff;

// A path that url.parse reads on its fast path (SIMPLE_PATH) with nothing replaced first:
// one `/` or two (not three), then no whitespace, `#`, `@` or backslash up to the query.
const PLAIN_PATH = /\/(?!\/\/)[^?#@\\\s]*/y;

/**
 * The end of the path of `url` (the index of its `?`, or its length) when url.parse would read
 * `url` on its fast path with nothing trimmed or replaced first, judging all but the query
 * (see PLAIN_PATH; and its last character is not one url.parse trims). -1 for any other URL,
 * which needs `splitUrl`. The caller must still refuse the fast path if the query holds
 * whitespace or `#`.
 */
export function plainPathEnd(url: string): number {
  if (isSpace(url.charCodeAt(url.length - 1))) return -1;
  PLAIN_PATH.lastIndex = 0;
  if (!PLAIN_PATH.test(url)) return -1;
  const end = PLAIN_PATH.lastIndex;
  return end === url.length || url.charCodeAt(end) === 0x3f /* ? */ ? end : -1;
}

/**
 * Splits `url` exactly as Node's legacy `url.parse(url)` does for a URL without a host,
 * without calling it (it is runtime-deprecated, DEP0169). Its quirks are kept on purpose,
 * because they decide the qsh the signer computed: surrounding whitespace is trimmed;
 * `\` before the query becomes `/`; and only when the URL has whitespace, `#`, or `@`
 * before the query does it cut at `#` and percent-encode `"'<>\^`{|}` and whitespace.
 * A URL that `url.parse` would read as naming a host or protocol (`//user@host/x`,
 * `scheme:x`) is refused: a request path never legitimately looks like that.
 */
export function splitUrl(url: string): UrlParts {
  let start = 0;
  let end = url.length;
  while (start < end && isSpace(url.charCodeAt(start))) start++;
  while (end > start && isSpace(url.charCodeAt(end - 1))) end--;
  let rest = start === 0 && end === url.length ? url : url.slice(start, end);

  let split = -1;
  let hasAt = false;
  let hasBackslash = false;
  for (let i = 0; i < rest.length; i++) {
    const code = rest.charCodeAt(i);
    if (code === 0x3f /* ? */ || code === 0x23 /* # */) {
      split = i;
      break;
    }
    if (code === 0x40 /* @ */) hasAt = true;
    else if (code === 0x5c /* \ */) hasBackslash = true;
  }
  if (hasBackslash) {
    const head = split < 0 ? rest : rest.slice(0, split);
    rest = head.replace(/\\/g, '/') + (split < 0 ? '' : rest.slice(split));
  }
  const hasHash = split >= 0 && rest.indexOf('#', split) >= 0;

  if (!hasHash && !hasAt) {
    const simple = SIMPLE_PATH.exec(rest);
    if (simple) return { pathname: simple[1], query: simple[2] === undefined ? undefined : simple[2].slice(1) };
  }
  if (PROTOCOL.test(rest) || HOST.test(rest)) throw new AuthError('url names a host');

  rest = rest.replace(AUTO_ESCAPE, escapeChar);
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  const question = rest.indexOf('?');
  if (question < 0) return { pathname: rest.length > 0 ? rest : undefined, query: undefined };
  return { pathname: question > 0 ? rest.slice(0, question) : undefined, query: rest.slice(question + 1) };
}
