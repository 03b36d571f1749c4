import { parse as parseQueryString, unescape } from 'node:querystring';

// querystring.parse's default maxKeys, which url.parse(url, true) leaves in place.
const MAX_PAIRS = 1000;
const VALID_ESCAPE = /%[0-9A-Fa-f]{2}/;

// Escapes that decoding (decodeURIComponent) and RFC 3986 encoding give back unchanged: an
// upper-case `%XX` of an ASCII character that is not unreserved, or the upper-case escapes of
// one well-formed UTF-8 character (Unicode table 3-7: no overlong form, no surrogate, nothing
// above U+10FFFF), which is exactly what decodeURIComponent accepts and encodeURIComponent writes.
const CONTINUATION = '%[89AB][0-9A-F]';
const CANONICAL_ESCAPE = [
  '%(?:[01][0-9A-F]|2[0-9A-CF]|3[A-F]|40|5[B-E]|60|7[B-DF])',
  `%(?:C[2-9A-F]|D[0-9A-F])${CONTINUATION}`,
  `%E0%[AB][0-9A-F]${CONTINUATION}`,
  `%(?:E[1-9A-CEF])${CONTINUATION}${CONTINUATION}`,
  `%ED%[89][0-9A-F]${CONTINUATION}`,
  `%F0%[9AB][0-9A-F]${CONTINUATION}${CONTINUATION}`,
  `%F[1-3]${CONTINUATION}${CONTINUATION}${CONTINUATION}`,
  `%F4%8[0-9A-F]${CONTINUATION}${CONTINUATION}`,
].join('|');
// A pair that querystring reads as it stands (no `+`, no `%` in the name) and whose text is
// already canonical: a name of unreserved characters, a value of unreserved characters and
// canonical escapes. Sticky, so it is matched in place, without slicing the pair out; and
// written as runs between escapes, so that the engine does not backtrack character by character.
const UNRESERVED_RUN = '[A-Za-z0-9._~-]*';
const CANONICAL_PAIR = new RegExp(`${UNRESERVED_RUN}(?:=${UNRESERVED_RUN}(?:(?:${CANONICAL_ESCAPE})${UNRESERVED_RUN})*)?`, 'y');
// The same, with printable ASCII characters in the value that querystring leaves as they are
// (a second `=`, `*`, `:`, quotes...) and RFC 3986 encoding escapes; `%&+#` and space excluded.
const VALUE_RUN = `[!"$'-*,-~]*`;
const ESCAPABLE_PAIR = new RegExp(`${UNRESERVED_RUN}(?:=${VALUE_RUN}(?:(?:${CANONICAL_ESCAPE})${VALUE_RUN})*)?`, 'y');
const HEX = '0123456789ABCDEF';
// What url.parse does not take its fast path for: whitespace, `#`.
const NOT_PLAIN = /[\s#]/;
const PLAIN_REST = /[^\s#]*/y;

/** One `name=value` pair of a query, less the `jwt` ones. */
export interface QueryParam {
  /** The decoded name. */
  readonly name: string;
  /**
   * The pair's canonical (qsh) text `name=value`, found without decoding it, for a pair that
   * querystring reads as it stands; undefined for any other pair.
   */
  readonly canonical: string | undefined;
  /** The decoded value when `canonical` is undefined; otherwise read it with {@link decodedValue}. */
  readonly value: string;
}

/**
 * The pairs of `query` (without `?`) in order of appearance, each read exactly as Node's
 * `querystring.parse` reads it for atlassian-jwt, less every `jwt` pair.
 * A pair with `+`, or `%` in its name, is handed to querystring itself, one pair at a time
 * (it reads each pair independently), so its quirks are kept to the byte (an escape in the
 * name can make it decode the value too). In any other pair, querystring decodes the value
 * exactly when it holds a valid `%XX`, with `querystring.unescape`, as here.
 * Only the first 1000 pairs count, empty ones included.
 */
export function queryParams(query: string): QueryParam[] {
  return read(query, 0, false, undefined)!;
}

/**
 * The pairs of the query in the URL `url` as received, from `start` (just after the `?`), as
 * {@link queryParams} reads them; undefined when the URL holds whitespace or `#` there, for
 * which url.parse does not take its fast path.
 *
 * @param knownJwt a text that holds only base64url characters and dots (a token whose
 *   signature has been verified): a `jwt` value equal to it is skipped without being read
 */
export function queryParamsInPlace(url: string, start: number, knownJwt?: string): QueryParam[] | undefined {
  return read(url, start, true, knownJwt);
}

/** The decoded value of a parameter. */
export function decodedValue(param: QueryParam): string {
  return param.canonical === undefined ? param.value : decode(param.canonical.slice(param.name.length + 1));
}

function read(text: string, start: number, inPlace: boolean, knownJwt: string | undefined): QueryParam[] | undefined {
  const params: QueryParam[] = [];
  const length = text.length;
  let pos = start;
  let pairs = 0;
  for (; pos <= length && pairs < MAX_PAIRS; pairs++) {
    let end = text.indexOf('&', pos);
    if (end < 0) end = length;
    if (end === pos) {
      pos = end + 1;
      continue;
    }
    if (text.startsWith('jwt', pos) && (end === pos + 3 || text.charCodeAt(pos + 3) === 0x3d /* = */)) {
      // Every `jwt` pair is left out; in place, it must still be free of whitespace and `#`,
      // which the verified token (base64url and dots) is known to be.
      if (inPlace && !(knownJwt !== undefined && text.slice(pos + 4, end) === knownJwt) && NOT_PLAIN.test(text.slice(pos, end))) return undefined;
      pos = end + 1;
      continue;
    }
    CANONICAL_PAIR.lastIndex = pos;
    CANONICAL_PAIR.test(text);
    if (CANONICAL_PAIR.lastIndex === end) {
      params.push(canonicalParam(text, pos, end, false));
    } else {
      ESCAPABLE_PAIR.lastIndex = pos;
      ESCAPABLE_PAIR.test(text);
      if (ESCAPABLE_PAIR.lastIndex === end) {
        params.push(canonicalParam(text, pos, end, true));
      } else {
        const pair = text.slice(pos, end);
        if (inPlace && NOT_PLAIN.test(pair)) return undefined;
        readPair(params, pair);
      }
    }
    pos = end + 1;
  }
  if (inPlace && pos < length) {
    // Pairs past the limit are not read, but whitespace or `#` there still changes how url.parse reads the URL.
    PLAIN_REST.lastIndex = pos;
    PLAIN_REST.test(text);
    if (PLAIN_REST.lastIndex !== length) return undefined;
  }
  return params;
}

/** A pair from `pos` to `end` that querystring reads as it stands, escaping what RFC 3986 encoding would. */
function canonicalParam(text: string, pos: number, end: number, escape: boolean): QueryParam {
  let eq = text.indexOf('=', pos);
  if (eq >= end) eq = -1;
  if (eq < 0) {
    const name = text.slice(pos, end);
    return { name, canonical: `${name}=`, value: '' };
  }
  const name = text.slice(pos, eq);
  return { name, canonical: escape ? escapeValue(text, pos, eq + 1, end) : text.slice(pos, end), value: '' };
}

/**
 * `text` from `pos` to `end`, with the ASCII characters from `from` on that are neither
 * unreserved nor part of an escape written as upper-case escapes.
 */
function escapeValue(text: string, pos: number, from: number, end: number): string {
  let out = '';
  let run = pos;
  for (let i = from; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x25 /* % */) {
      i += 2;
    } else if (!isUnreserved(code)) {
      out += `${text.slice(run, i)}%${HEX[code >> 4]}${HEX[code & 15]}`;
      run = i + 1;
    }
  }
  return out + text.slice(run, end);
}

function isUnreserved(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || code === 0x2d || code === 0x2e || code === 0x5f || code === 0x7e
  );
}

/** Reads a pair that querystring does not read as it stands. */
function readPair(params: QueryParam[], pair: string): void {
  const eq = pair.indexOf('=');
  const percent = pair.indexOf('%');
  if (pair.includes('+') || (percent >= 0 && (eq < 0 || percent < eq))) {
    const parsed = parseQueryString(pair);
    // One pair gives one name, which decoding can turn into `jwt` (`j%77t`): dropped as well.
    for (const name in parsed) if (name !== 'jwt') params.push({ name, canonical: undefined, value: parsed[name] as string });
  } else {
    params.push({ name: eq < 0 ? pair : pair.slice(0, eq), canonical: undefined, value: eq < 0 ? '' : decode(pair.slice(eq + 1)) });
  }
}

function decode(value: string): string {
  return value.includes('%') && VALID_ESCAPE.test(value) ? unescape(value) : value;
}
