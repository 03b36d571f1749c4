import { DirectoryFormatError, formatBucket, parseBucket, realmCode } from '../../../runtime/directory';

const fp = (c: string) => c.repeat(12);

describe('bucket records', () => {
  it('writes records sorted by fingerprint, each followed by its realm code, and reads them back', () => {
    const records = new Map([
      [fp('b'), 'EU'],
      [fp('a'), 'Global'],
      [fp('-'), 'JP'],
    ]);
    const value = formatBucket('AbC', records);
    expect(value).toBe(`${fp('-')}J${fp('a')}G${fp('b')}E`);
    expect(parseBucket('AbC', value)).toEqual(records);
  });

  it('reads an absent or empty bucket as no records', () => {
    expect(parseBucket('AbC', undefined).size).toBe(0);
    expect(parseBucket('AbC', '').size).toBe(0);
  });

  it('names the bucket when a stored value is malformed', () => {
    expect(() => parseBucket('AbC', 'x'.repeat(14))).toThrow(new DirectoryFormatError('Directory bucket AbC holds 14 characters; expected a multiple of 13 (records of fingerprint and realm code)'));
    expect(() => parseBucket('AbC', `${fp('a')}Z`)).toThrow('Directory bucket AbC has a malformed record at character 0');
    expect(() => parseBucket('AbC', `${fp('a')}E${'!'.repeat(12)}E`)).toThrow('malformed record at character 13');
  });

  it('refuses a bucket whose key and value would exceed the 1 KB KVS entry limit', () => {
    const full = new Map(Array.from({ length: 78 }, (_, i) => [i.toString().padStart(12, '0'), 'EU']));
    expect(formatBucket('AbC', full)).toHaveLength(78 * 13);
    full.set('x'.repeat(12), 'US');
    expect(() => formatBucket('AbC', full)).toThrow(/would hold 79 records \(1030 characters with its key\); a KVS entry takes at most 1024/);
  });

  it('refuses an unknown realm, naming it', () => {
    expect(() => realmCode('Mars')).toThrow('Unknown realm "Mars"; expected one of Global, US, EU');
    expect(() => realmCode('__proto__')).toThrow('Unknown realm "__proto__"');
  });
});
