import { createHmac, randomUUID } from 'node:crypto';
import { DIRECTORY_LAYOUT, assertDirectoryKey, tenantSlot } from '../../../runtime/directory';

const KEY = 'Q7v2Lm9XcR4tWb8NzK3pYh6JdF1sGa5E0uVoTi2CxMn7BqHk4ZlPw9SeDj3Ry8Ug';
const OTHER_KEY = 'Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0PpOoNnMmLlKkJjIiHhGgFfEeDdCcBbAa12';

describe('tenantSlot', () => {
  it('takes the bucket and fingerprint from the base64url HMAC-SHA256 of the tenant id', () => {
    const id = 'ari:cloud:ecosystem::installation/5b6f0c5e-1f7e-4a43-9f0e-0f6c2d0c7a11';
    const digest = createHmac('sha256', KEY).update(id).digest('base64url');
    const slot = tenantSlot(id, KEY);
    expect(slot.bucket.slice(0, 2)).toBe(digest.slice(0, 2));
    expect(slot.bucket).toHaveLength(DIRECTORY_LAYOUT.bucketKeyLength);
    expect(DIRECTORY_LAYOUT.bucketTailAlphabet).toContain(slot.bucket[2]);
    expect(slot.fingerprint).toBe(digest.slice(3, 15));
  });

  it('spreads tenants over all 16,384 buckets, none holding more than 3x the mean', () => {
    // Fixed ids, so the result is the same on every run (random ids left a bucket empty about 8% of the time).
    const counts = new Map<string, number>();
    for (let i = 0; i < 300_000; i++) {
      const { bucket } = tenantSlot(`0f1e2d3c-4b5a-4697-8877-${i.toString(16).padStart(12, '0')}`, KEY);
      counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
    }
    expect(counts.size).toBe(2 ** 14);
    expect(Math.max(...counts.values())).toBeLessThan((3 * 300_000) / 2 ** 14);
  });

  it('gives a different slot under another key, so the directory reveals nothing without it', () => {
    const id = randomUUID();
    expect(tenantSlot(id, KEY)).not.toEqual(tenantSlot(id, OTHER_KEY));
  });

  it('refuses an empty tenant id', () => {
    expect(() => tenantSlot('', KEY)).toThrow('A tenant id must be a non-empty string');
  });
});

describe('assertDirectoryKey', () => {
  it('refuses a short or punctuated key without echoing it', () => {
    expect(() => assertDirectoryKey('short-Secret1')).toThrow(/found a string of 13 characters/);
    expect(() => assertDirectoryKey('short-Secret1')).not.toThrow(/short-Secret1/);
    expect(() => assertDirectoryKey(undefined)).toThrow(/found a undefined/);
    expect(() => assertDirectoryKey(KEY)).not.toThrow();
  });
});
