import { createHash } from 'node:crypto';
import { computeQsh } from '../../../runtime/connect-auth';
import { referenceQsh } from './tokens';

// Each quirk is atlassian-jwt's (through Node's legacy url.parse and querystring); computeQsh
// keeps them because they decide the qsh the signer computed.
describe('atlassian-jwt canonicalization quirks that computeQsh keeps', () => {
  const same = (method: string, url: string, baseUrl?: string) => expect(computeQsh(method, url, baseUrl)).toBe(referenceQsh(method, url, baseUrl));
  const canonicalQshOf = (canonical: string) => createHash('sha256').update(canonical).digest('hex');

  it('strips the base path as a plain string prefix, not a path segment', () => {
    expect(computeQsh('GET', '/application/x', 'https://h.example/app')).toBe(canonicalQshOf('GET&/lication/x&'));
    same('GET', '/application/x', 'https://h.example/app');
  });
  it('keeps + literal in the path but reads it as a space in the query', () => {
    expect(computeQsh('GET', '/a+b?q=a+b')).toBe(canonicalQshOf('GET&/a+b&q=a%20b'));
    same('GET', '/a+b?q=a+b');
  });
  it('does not decode the path, so %7E and ~ differ there but not in the query', () => {
    expect(computeQsh('GET', '/%7E?k=%7E')).not.toBe(computeQsh('GET', '/~?k=%7E'));
    expect(computeQsh('GET', '/~?k=%7E')).toBe(computeQsh('GET', '/~?k=~'));
    same('GET', '/%7E?k=%7E');
  });
  it('escapes quotes in the path only when the URL also has whitespace, # or @', () => {
    expect(computeQsh('GET', "/it's")).toBe(canonicalQshOf("GET&/it's&"));
    expect(computeQsh('GET', "/it's@home")).toBe(canonicalQshOf('GET&/it%27s@home&'));
    same('GET', "/it's@home?q=1");
  });
  it('drops a __proto__ parameter and every jwt parameter', () => {
    expect(computeQsh('GET', '/p?__proto__=1&jwt=a&jwt=b&z=1')).toBe(canonicalQshOf('GET&/p&z=1'));
    same('GET', '/p?__proto__=1&jwt=a&jwt=b&z=1');
  });
  it('mangles non-ASCII text next to an invalid escape, as Node querystring does', () => {
    same('GET', '/p?a=é%FF&b=é%zz&c=%zz%20é');
  });
  it('decodes a value because its name held two escapes, as Node querystring does', () => {
    // The second escape in the name sets querystring's "value is encoded" flag; é then loses its high byte.
    expect(computeQsh('GET', '/p?%41%42=é%zz')).toBe(canonicalQshOf('GET&/p&AB=%EF%BF%BD%25zz'));
    same('GET', '/p?%41%42=é%zz');
    same('GET', '/p?%41=é%zz');
  });
  it('refuses a URL that atlassian-jwt would read as naming a host', () => {
    expect(() => computeQsh('GET', '//user@evil.example/x')).toThrow(expect.objectContaining({ reason: 'url names a host', status: 401 }));
  });
  it('refuses a query that cannot be percent-encoded (a lone surrogate), where atlassian-jwt throws', () => {
    expect(() => referenceQsh('GET', '/p?a=\ud800')).toThrow(URIError);
    expect(() => computeQsh('GET', '/p?a=\ud800')).toThrow(expect.objectContaining({ reason: 'query not encodable', status: 401 }));
  });
  it('is the same for a qsh computed over the URL with or without its jwt', () => {
    expect(computeQsh('GET', '/p?b=2&jwt=abc&a=1')).toBe(referenceQsh('GET', '/p?a=1&b=2'));
  });
});
