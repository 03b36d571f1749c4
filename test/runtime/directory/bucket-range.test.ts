import { randomUUID } from 'node:crypto';
import { BUCKET_COUNT, RECONCILE_MAX_BUCKETS, bucketAt, bucketIndex, bucketRanges, tenantSlot } from '../../../runtime/directory';
import { KEY } from '../../helpers/directory-fixture';


describe('bucket ranges', () => {
  it('numbers every bucket key once, and every tenant slot falls in one of the 32 ranges', () => {
    const keys = Array.from({ length: BUCKET_COUNT }, (_, i) => bucketAt(i));
    expect(new Set(keys).size).toBe(16_384);
    expect(keys.every((key, i) => bucketIndex(key) === i)).toBe(true);
    const ranges = bucketRanges();
    expect(ranges).toHaveLength(32);
    expect(ranges.every((r, i) => r.from === i * RECONCILE_MAX_BUCKETS && r.to === r.from + RECONCILE_MAX_BUCKETS)).toBe(true);
    for (let i = 0; i < 1000; i++) {
      const at = bucketIndex(tenantSlot(randomUUID(), KEY).bucket);
      expect(at).toBeGreaterThanOrEqual(0);
      expect(at).toBeLessThan(BUCKET_COUNT);
    }
  });

  it('refuses what is not a bucket or a range', () => {
    expect(bucketIndex('AbE')).toBe(-1);
    expect(bucketIndex('directory-key')).toBe(-1);
    expect(() => bucketAt(16_384)).toThrow('A bucket index is an integer from 0 to 16383; found 16384');
    expect(() => bucketRanges(513)).toThrow('A reconcile range is 1 to 512 buckets wide; found 513');
  });
});
