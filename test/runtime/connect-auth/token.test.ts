import type { AppRequest } from '../../../runtime/http/request';
import { extractToken } from '../../../runtime/connect-auth';

const TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJ0ZW5hbnQtYSJ9.c2lnbmF0dXJl';

function request(parts: Partial<AppRequest> & { contentType?: string }): AppRequest {
  const { contentType, headers, ...rest } = parts;
  return { method: 'GET', path: '/panel', rawQuery: '', headers: { 'content-type': contentType, ...headers }, ...rest };
}

const refusal = (reason: string) => expect.objectContaining({ name: 'AuthError', status: 401, reason });

describe('extractToken', () => {
  it('reads the token from ?jwt= among other parameters', () => {
    expect(extractToken(request({ rawQuery: `lic=none&jwt=${TOKEN}&cp=%2Fwiki` }))).toBe(TOKEN);
  });
  it('reads the token from a jwt form field', () => {
    const form = request({ method: 'POST', contentType: 'application/x-www-form-urlencoded; charset=UTF-8', body: `a=1&jwt=${TOKEN}` });
    expect(extractToken(form)).toBe(TOKEN);
  });
  it('reads the token from Authorization: JWT <token>', () => {
    expect(extractToken(request({ headers: { authorization: `JWT ${TOKEN}` } }))).toBe(TOKEN);
  });
  it('does not read a jwt field from a body that is not a form', () => {
    const json = request({ method: 'POST', contentType: 'application/json', body: `jwt=${TOKEN}`, headers: { authorization: `JWT ${TOKEN}` } });
    expect(extractToken(json)).toBe(TOKEN);
    expect(() => extractToken(request({ method: 'POST', contentType: 'application/json', body: `jwt=${TOKEN}` }))).toThrow(refusal('no token'));
  });
  it('refuses a request with no token', () => {
    expect(() => extractToken(request({ rawQuery: 'lic=none' }))).toThrow(refusal('no token'));
  });
  it('refuses a token in two places, even when both are the same token', () => {
    const twice = [
      request({ rawQuery: `jwt=${TOKEN}`, headers: { authorization: `JWT ${TOKEN}` } }),
      request({ method: 'POST', contentType: 'application/x-www-form-urlencoded', body: `jwt=${TOKEN}`, rawQuery: `jwt=${TOKEN}` }),
      request({ method: 'POST', contentType: 'application/x-www-form-urlencoded', body: `jwt=${TOKEN}`, headers: { authorization: `JWT ${TOKEN}` } }),
    ];
    for (const req of twice) expect(() => extractToken(req)).toThrow(refusal('token in more than one place'));
  });
  it('refuses two jwt parameters in the query, including a percent-encoded name', () => {
    expect(() => extractToken(request({ rawQuery: `jwt=${TOKEN}&jwt=${TOKEN}` }))).toThrow(refusal('token in more than one place'));
    expect(() => extractToken(request({ rawQuery: `jwt=${TOKEN}&j%77t=${TOKEN}` }))).toThrow(refusal('token in more than one place'));
  });
  it('does not take Authorization: Bearer for a Connect token', () => {
    expect(() => extractToken(request({ headers: { authorization: `Bearer ${TOKEN}` } }))).toThrow(refusal('no token'));
    expect(extractToken(request({ rawQuery: `jwt=${TOKEN}`, headers: { authorization: `Bearer ${TOKEN}` } }))).toBe(TOKEN);
  });
});
