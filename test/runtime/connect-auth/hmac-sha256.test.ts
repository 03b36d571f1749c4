import * as fc from 'fast-check';
import { createHmac } from 'node:crypto';
import { HmacSha256 } from '../../../runtime/connect-auth/hmac-sha256';

const ascii = fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)), maxLength: 3000 });

describe('HmacSha256', () => {
  it('gives the bytes createHmac gives, for keys shorter than, equal to and longer than the block', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 200 }), ascii, (key, text) => {
        const reference = createHmac('sha256', key).update(text, 'latin1').digest('base64url');
        expect(new HmacSha256(Buffer.from(key)).base64url(text)).toBe(reference);
      }),
      { numRuns: 500 },
    );
    for (const length of [63, 64, 65]) {
      const key = Buffer.alloc(length, 0xa5);
      expect(new HmacSha256(key).base64url('x')).toBe(createHmac('sha256', key).update('x').digest('base64url'));
    }
  });

  it('matches the RFC 4231 test case 2 vector', () => {
    const mac = new HmacSha256(Buffer.from('Jefe')).base64url('what do ya want for nothing?');
    expect(Buffer.from(mac, 'base64url').toString('hex')).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('gives the same MAC when one instance is reused, and after a longer text grew its buffer', () => {
    const hmac = new HmacSha256(Buffer.from('secret'));
    const first = hmac.base64url('a.b');
    hmac.base64url('z'.repeat(10_000));
    expect(hmac.base64url('a.b')).toBe(first);
  });

  it('refuses text that is not ASCII rather than MAC other bytes', () => {
    const hmac = new HmacSha256(Buffer.from('secret'));
    expect(() => hmac.base64url('é')).toThrow(RangeError);
    expect(() => hmac.base64url('\u0100')).toThrow(RangeError);
  });
});
