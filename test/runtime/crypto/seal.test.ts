import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { open, seal, SealedValueError } from '../../../runtime/crypto';

const key = new Uint8Array(randomBytes(32));
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

describe('seal and open', () => {
  it('opens what it sealed, for any bytes and associated data', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), fc.string(), (plaintext, aad) => {
        expect(Buffer.from(open(seal(plaintext, key, aad), key, aad))).toEqual(Buffer.from(plaintext));
      }),
    );
  });

  it('seals strings as UTF-8', () => {
    expect(text(open(seal('grüße ✓', key, 'aad'), key, 'aad'))).toBe('grüße ✓');
  });

  it('writes the versioned compact form v1.<iv>.<ciphertext> with a fresh IV each time', () => {
    const a = seal('same', key, 'aad');
    const b = seal('same', key, 'aad');
    expect(a).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(a.split('.')[1]).not.toBe(b.split('.')[1]);
    expect(a).not.toBe(b);
  });

  it('refuses other associated data', () => {
    expect(() => open(seal('secret', key, 'tenant-a'), key, 'tenant-b')).toThrow(SealedValueError);
  });

  it('refuses another key', () => {
    expect(() => open(seal('secret', key, 'aad'), new Uint8Array(randomBytes(32)), 'aad')).toThrow(/did not open/);
  });

  it('refuses a value with any one bit flipped', () => {
    const sealed = seal('secret value', key, 'aad');
    const [version, iv, body] = sealed.split('.') as [string, string, string];
    for (const part of ['iv', 'body'] as const) {
      const bytes = Buffer.from(part === 'iv' ? iv : body, 'base64url');
      for (let bit = 0; bit < bytes.length * 8; bit += 7) {
        const flipped = Buffer.from(bytes);
        flipped[bit >> 3]! ^= 1 << (bit & 7);
        const tampered = part === 'iv' ? `${version}.${flipped.toString('base64url')}.${body}` : `${version}.${iv}.${flipped.toString('base64url')}`;
        expect(() => open(tampered, key, 'aad')).toThrow(SealedValueError);
      }
    }
  });

  it('refuses a truncated value', () => {
    const sealed = seal('secret value', key, 'aad');
    for (let cut = 1; cut < sealed.length; cut += 3) {
      expect(() => open(sealed.slice(0, sealed.length - cut), key, 'aad')).toThrow(SealedValueError);
    }
  });

  it.each([
    ['an empty string', ''],
    ['plain text', 'not sealed at all'],
    ['too many parts', 'v1.AAAA.BBBB.CCCC'],
    ['a part that is not base64url', 'v1.AAAAAAAAAAAAAAAA.not+base64/'],
    ['a short IV', 'v1.AAAA.AAAAAAAAAAAAAAAAAAAAAA'],
    ['a body shorter than the tag', 'v1.AAAAAAAAAAAAAAAA.AAAA'],
  ])('refuses garbage: %s', (_, garbage) => {
    expect(() => open(garbage, key, 'aad')).toThrow(/malformed/);
  });

  it('refuses an unknown format version, naming it', () => {
    const [, iv, body] = seal('x', key, 'aad').split('.');
    expect(() => open(`v2.${iv}.${body}`, key, 'aad')).toThrow(/format version "v2", expected "v1"/);
  });

  it('refuses a data key that is not 32 bytes', () => {
    expect(() => seal('x', new Uint8Array(16), 'aad')).toThrow(/must be 32 bytes \(AES-256\), got 16/);
    expect(() => open('v1.a.b', new Uint8Array(31), 'aad')).toThrow(RangeError);
  });

  it('never puts the plaintext or the key in an error message', () => {
    const sealed = seal('hunter2-plaintext', key, 'aad');
    try {
      open(sealed, key, 'other');
      throw new Error('opened');
    } catch (err) {
      expect(String((err as Error).message)).not.toContain('hunter2');
      expect(String((err as Error).message)).not.toContain(Buffer.from(key).toString('base64url'));
    }
  });
});
