import { AuthError } from './auth-error';
import { decodedValue, type QueryParam } from './query-params';

/**
 * Appends to `out` the canonical pairs of a query, as atlassian-jwt writes them: sorted by
 * decoded name in code-unit order, name and value RFC 3986 encoded, a repeated name's decoded
 * values sorted and joined by a literal `,`, `__proto__` left out. Sorts `params` in place.
 *
 * @throws AuthError (401) for a name or value that cannot be percent-encoded (a lone surrogate)
 */
export function appendCanonicalQuery(out: string[], params: QueryParam[]): void {
  sortByName(params);
  for (let i = 0; i < params.length; ) {
    const param = params[i]!;
    let next = i + 1;
    while (next < params.length && params[next]!.name === param.name) next++;
    // atlassian-jwt drops `__proto__` (lodash copies it as an own key, then it is skipped).
    if (param.name !== '__proto__') {
      if (next > i + 1) out.push(repeated(params, i, next));
      else out.push(param.canonical ?? `${encodeRfc3986(param.name)}=${encodeRfc3986(param.value)}`);
    }
    i = next;
  }
}

/** A parameter given more than once (`params` from `from` to `to`): its decoded values sorted, encoded, joined by a literal `,`. */
function repeated(params: QueryParam[], from: number, to: number): string {
  const values: string[] = [];
  for (let i = from; i < to; i++) values.push(decodedValue(params[i]!));
  values.sort();
  let out = `${encodeRfc3986(params[from]!.name)}=${encodeRfc3986(values[0]!)}`;
  for (let i = 1; i < values.length; i++) out += `,${encodeRfc3986(values[i]!)}`;
  return out;
}

/**
 * Sorts by name in code-unit order, as Array.prototype.sort orders the names atlassian-jwt
 * sorts. A query has a handful of parameters, for which insertion sort is quickest.
 */
function sortByName(params: QueryParam[]): void {
  if (params.length > 16) {
    params.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return;
  }
  for (let i = 1; i < params.length; i++) {
    const param = params[i]!;
    let j = i - 1;
    for (; j >= 0 && params[j]!.name > param.name; j--) params[j + 1] = params[j]!;
    params[j + 1] = param;
  }
}

const UNRESERVED = /^[A-Za-z0-9._~-]*$/;
const SUB_DELIMS = /[!'()*]/g;
const SUB_DELIM_ESCAPES: Record<string, string> = { '!': '%21', "'": '%27', '(': '%28', ')': '%29', '*': '%2A' };

/** Percent-encodes all but RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`). */
function encodeRfc3986(value: string): string {
  if (UNRESERVED.test(value)) return value;
  let encoded: string;
  try {
    encoded = encodeURIComponent(value);
  } catch {
    throw new AuthError('query not encodable'); // a lone surrogate; atlassian-jwt throws a URIError
  }
  return encoded.replace(SUB_DELIMS, (c) => SUB_DELIM_ESCAPES[c]!);
}
