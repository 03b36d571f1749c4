import { parse as parseQueryString, unescape } from 'node:querystring';

// querystring.parse's default maxKeys, which url.parse(url, true) leaves in place.
const MAX_PAIRS = 1000;
const VALID_ESCAPE = /%[0-9A-Fa-f]{2}/;
// Raw text that decoding and then RFC 3986 encoding gives back unchanged: unreserved
// characters, and upper-case escapes of ASCII characters that are not unreserved.
const CANONICAL_RAW = /^(?:[A-Za-z0-9._~-]|%(?:[01][0-9A-F]|2[0-9A-CF]|3[A-F]|40|5[B-E]|60|7[B-DF]))*$/;

/**
 * One query parameter. A lone value whose raw text is already canonical is kept as that
 * text, never decoded (decoding and encoding it again would give it back); any other
 * parameter keeps its decoded values in order of appearance.
 */
export interface QueryParam {
  /** The canonical (qsh) text of the parameter's lone value, or undefined. */
  canonical: string | undefined;
  /** The decoded values; empty exactly when `canonical` is set. */
  readonly values: string[];
}

/**
 * The parameters of `query` (without `?`) by decoded name, exactly as Node's
 * `querystring.parse` reads them for atlassian-jwt, less every `jwt` parameter.
 * A pair with `+`, or `%` in its name, is handed to querystring itself, one pair at a
 * time (it reads each pair independently), so its quirks are kept to the byte (an escape
 * in the name can make it decode the value too). In any other pair, querystring decodes
 * the value exactly when it holds a valid `%XX`, with `querystring.unescape`, as here.
 * Only the first 1000 pairs count, empty ones included; the long `jwt` value is skipped
 * without being read. See {@link QueryParam} for how values are kept.
 */
export function queryParams(query: string): Map<string, QueryParam> {
  const params = new Map<string, QueryParam>();
  let pos = 0;
  for (let pairs = 0; pos <= query.length && pairs < MAX_PAIRS; pairs++) {
    let end = query.indexOf('&', pos);
    if (end < 0) end = query.length;
    const isJwt = query.startsWith('jwt', pos) && (end === pos + 3 || query.charCodeAt(pos + 3) === 0x3d /* = */);
    if (end > pos && !isJwt) {
      const pair = query.slice(pos, end);
      const eq = pair.indexOf('=');
      const percent = pair.indexOf('%');
      if (pair.includes('+') || (percent >= 0 && (eq < 0 || percent < eq))) {
        const parsed = parseQueryString(pair);
        for (const key in parsed) add(params, key, parsed[key] as string);
      } else {
        const raw = eq < 0 ? '' : pair.slice(eq + 1);
        add(params, eq < 0 ? pair : pair.slice(0, eq), raw, true, CANONICAL_RAW.test(raw));
      }
    }
    pos = end + 1;
  }
  params.delete('jwt');
  return params;
}

function decode(value: string): string {
  return value.includes('%') && VALID_ESCAPE.test(value) ? unescape(value) : value;
}

/** Adds a value: decoded already, or (`raw`) as received, to be decoded unless canonical. */
function add(params: Map<string, QueryParam>, key: string, value: string, raw = false, canonical = false): void {
  const current = params.get(key);
  if (current === undefined) {
    if (canonical) params.set(key, { canonical: value, values: [] });
    else params.set(key, { canonical: undefined, values: [raw ? decode(value) : value] });
    return;
  }
  if (current.canonical !== undefined) {
    current.values.push(decode(current.canonical));
    current.canonical = undefined;
  }
  current.values.push(raw ? decode(value) : value);
}
