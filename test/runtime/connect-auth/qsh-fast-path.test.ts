import { computeQsh, verifyConnectJwt } from '../../../runtime/connect-auth';
import { CLIENT_KEY, connectOptions, NOW, referenceQsh, signed } from './tokens';

// computeQsh reads most queries in place, taking a pair's raw text as its canonical text when
// querystring would read it as it stands; every other pair, and every URL that url.parse does
// not read on its fast path, goes the general way. Each case is checked against atlassian-jwt.
const same = (url: string, baseUrl?: string) => expect(computeQsh('GET', url, baseUrl)).toBe(referenceQsh('GET', url, baseUrl));
const hex = (byte: number) => byte.toString(16).toUpperCase().padStart(2, '0');

/** Verifies a token made by atlassian-jwt for `url`, sent in the query as `jwtAt` says. */
async function acceptedWithTokenIn(url: string, jwtAt: (token: string) => string): Promise<boolean> {
  const token = signed({ iss: CLIENT_KEY, iat: NOW - 5, exp: NOW + 175, qsh: referenceQsh('GET', url) });
  const claims = await verifyConnectJwt(token, { method: 'GET', url: jwtAt(token) }, connectOptions());
  return claims.iss === CLIENT_KEY;
}

describe('computeQsh fast path and atlassian-jwt', () => {
  it('sorts parameters by name, with a name that is a prefix of another', () => {
    same('/p?xdm_e=https%3A%2F%2Fa.atlassian.net&xdm_c=c-1&cp=%2Fwiki&lic=none&cv=1.0.0-SNAPSHOT');
    same('/p?a.b=1&a=2&a-b=3&a0=4&A=5&_=6&~=7');
  });
  it('joins the sorted decoded values of a parameter that appears twice', () => {
    same('/p?tag=b&tag=a');
    same('/p?a=%2F&a=%2E&a=-&a=x*');
    same('/p?a=2&b=1&a=%41&a=%c3%a9');
    same('/p?a&a=&a=0');
  });
  it('re-encodes lower-case escapes', () => {
    same('/p?a=%2f&b=%c3%a9&c=%7e');
  });
  it('decodes escapes of unreserved characters', () => {
    same('/p?a=%41%7E%2D%2E%5F%30');
  });
  it('escapes characters that querystring leaves as they are but RFC 3986 encoding escapes', () => {
    same(`/p?a=it's&b=x=y&c=a:b@c/d?e&d=!()*$,;[]&e="<>{|}^\`\\`);
  });
  it('reads + as a space in a name and a value', () => {
    same('/p?a+b=c+d&e=f%2Bg');
  });
  it('keeps querystring quirks for % in a name', () => {
    same('/p?%61=1&a%20b=2&%zz=3&%41%42=é%zz');
  });
  it('accepts exactly the escapes of well-formed UTF-8 as canonical', () => {
    // Every lead byte but plain ASCII letters, with 1 to 3 following bytes at the edges of the
    // continuation ranges (overlong forms, surrogates, above U+10FFFF), in upper, lower and mixed case.
    const leads = [0x00, 0x20, 0x2d, 0x41, 0x7e, 0x7f, ...Array.from({ length: 128 }, (_, i) => 0x80 + i)];
    const edges = [0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0];
    const sequences: number[][] = [];
    for (const lead of leads) {
      sequences.push([lead]);
      for (const second of edges) {
        sequences.push([lead, second]);
        // Longer sequences only where the lead byte announces them (anything else is a lone continuation after it).
        for (const third of lead >= 0xe0 ? [0x80, 0xbf, 0xc0] : []) {
          sequences.push([lead, second, third]);
          for (const fourth of lead >= 0xf0 ? [0x80, 0xc0] : []) sequences.push([lead, second, third, fourth]);
        }
      }
    }
    for (const bytes of sequences) {
      const escapes = bytes.map((b) => `%${hex(b)}`).join('');
      same(`/p?v=${escapes}`);
      same(`/p?v=${escapes.toLowerCase()}&w=x`);
      same(`/p?v=${escapes.slice(0, 3)}${escapes.slice(3).toLowerCase()}`);
    }
  });
  it('leaves out every jwt parameter, first, in the middle, last, empty or repeated, but not jwtx', () => {
    same('/p?jwt=abc&a=1');
    same('/p?a=1&jwt=abc&b=2');
    same('/p?a=1&jwt');
    same('/p?jwt=&jwt=x&jwtx=1&j%77t=2');
  });
  it('verifies a token that is in the query first, in the middle or last', async () => {
    const url = '/p?b=2&a=1';
    await expect(acceptedWithTokenIn(url, (token) => `/p?jwt=${token}&b=2&a=1`)).resolves.toBe(true);
    await expect(acceptedWithTokenIn(url, (token) => `/p?b=2&jwt=${token}&a=1`)).resolves.toBe(true);
    await expect(acceptedWithTokenIn(url, (token) => `/p?b=2&a=1&jwt=${token}`)).resolves.toBe(true);
  });
  it('reads a jwt value with whitespace or # the general way, also when it is not the verified token', async () => {
    same("/it's?jwt=a b&c=1");
    same("/it's?a=1&jwt=a#b");
    // The token travels in a header; the query's jwt value is another text, with a space.
    await expect(acceptedWithTokenIn("/it's?jwt=a b&c=1", () => "/it's?jwt=a b&c=1")).resolves.toBe(true);
    // The verified token in the query does not hide whitespace elsewhere in it.
    await expect(acceptedWithTokenIn("/it's?a=b c", (token) => `/it's?jwt=${token}&a=b c`)).resolves.toBe(true);
  });
  it('reads a URL with whitespace or # anywhere the general way, as url.parse does', () => {
    same("/it's?a=b c");
    same("/it's?a=\u00a0");
    same("/it's?a=1#frag");
    same("/it's@home?a=1");
    same('/a\\b?a=1');
    same('/p?a=1\u0001');
    same(' /p?a=1');
  });
  it('counts only the first 1000 pairs, empty ones and jwt included, yet sees whitespace past them', () => {
    const pairs = Array.from({ length: 999 }, (_, i) => (i % 3 === 0 ? '' : i % 3 === 1 ? `k${i}=v` : 'jwt=t'));
    same(`/p?${pairs.join('&')}&last=1&past=1`);
    same(`/it's?${pairs.join('&')}&last=1&past=a b`);
    same(`/it's?${pairs.join('&')}&last=1&past=a#b`);
  });
  it('drops a canonical __proto__ parameter', () => {
    same('/p?__proto__=1&a=2');
  });
});
