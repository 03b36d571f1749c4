import { parse as parseQueryString, unescape } from 'node:querystring';

// querystring.parse's default maxKeys, which url.parse(url, true) leaves in place.
const MAX_PAIRS = 1000;
const VALID_ESCAPE = /%[0-9A-Fa-f]{2}/;

/**
 * The parameters of `query` (without `?`) by decoded name, exactly as Node's
 * `querystring.parse` reads them for atlassian-jwt, less every `jwt` parameter.
 * A pair with `+`, or `%` in its name, is handed to querystring itself, one pair at a
 * time (it reads each pair independently), so its quirks are kept to the byte (an escape
 * in the name can make it decode the value too). In any other pair, querystring decodes
 * the value exactly when it holds a valid `%XX`, with `querystring.unescape`, as here.
 * Only the first 1000 pairs count, empty ones included; the long `jwt` value is skipped
 * without being read.
 */
export function queryParams(query: string): Map<string, string | string[]> {
  const params = new Map<string, string | string[]>();
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
        add(params, eq < 0 ? pair : pair.slice(0, eq), eq < 0 ? '' : decode(pair.slice(eq + 1)));
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

function add(params: Map<string, string | string[]>, key: string, value: string): void {
  const current = params.get(key);
  if (current === undefined) params.set(key, value);
  else if (typeof current === 'string') params.set(key, [current, value]);
  else current.push(value);
}
