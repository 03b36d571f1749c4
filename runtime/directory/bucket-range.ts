import { BASE64URL_ALPHABET, DIRECTORY_LAYOUT } from './layout';

/** Buckets in the directory: 64 x 64 x 4 = 16,384 (see {@link DIRECTORY_LAYOUT}). */
export const BUCKET_COUNT = 64 * 64 * DIRECTORY_LAYOUT.bucketTailAlphabet.length;

/**
 * The widest bucket range one `reconcile` call may cover. The writer reads each bucket of the
 * range (one GetKey each, 32 at a time) and rewrites at most all of them (50 per UpdateKeys), so
 * a call costs at most 512 reads and 11 UpdateKeys whatever the realm's size: well inside the
 * writer's 6 s. A realm's sweep covers the 16,384 buckets in 32 such calls.
 */
export const RECONCILE_MAX_BUCKETS = 512;

/** Buckets `from` (inclusive) to `to` (exclusive), by {@link bucketIndex}. */
export interface BucketRange {
  readonly from: number;
  readonly to: number;
}

const TAIL = DIRECTORY_LAYOUT.bucketTailAlphabet.length;

/** The position of bucket key `bucket` in 0 .. 16,383 (digest order); -1 when it is not a bucket key. */
export function bucketIndex(bucket: string): number {
  if (bucket.length !== DIRECTORY_LAYOUT.bucketKeyLength) return -1;
  const a = BASE64URL_ALPHABET.indexOf(bucket[0]!);
  const b = BASE64URL_ALPHABET.indexOf(bucket[1]!);
  const t = DIRECTORY_LAYOUT.bucketTailAlphabet.indexOf(bucket[2]!);
  return a < 0 || b < 0 || t < 0 ? -1 : (a * 64 + b) * TAIL + t;
}

/** The bucket key at position `index` (0 .. 16,383). */
export function bucketAt(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= BUCKET_COUNT) throw new RangeError(`A bucket index is an integer from 0 to ${BUCKET_COUNT - 1}; found ${index}`);
  const t = index % TAIL;
  const ab = (index - t) / TAIL;
  return BASE64URL_ALPHABET[Math.floor(ab / 64)]! + BASE64URL_ALPHABET[ab % 64]! + DIRECTORY_LAYOUT.bucketTailAlphabet[t]!;
}

/** The whole directory cut into consecutive ranges of `width` buckets (the last may be shorter). */
export function bucketRanges(width = RECONCILE_MAX_BUCKETS): BucketRange[] {
  if (!Number.isInteger(width) || width < 1 || width > RECONCILE_MAX_BUCKETS) throw new RangeError(`A reconcile range is 1 to ${RECONCILE_MAX_BUCKETS} buckets wide; found ${width}`);
  const out: BucketRange[] = [];
  for (let from = 0; from < BUCKET_COUNT; from += width) out.push({ from, to: Math.min(BUCKET_COUNT, from + width) });
  return out;
}

/** A one-line problem with `range` as a reconcile range, or undefined when it is one. */
export function bucketRangeProblem(from: unknown, to: unknown): string | undefined {
  if (!Number.isInteger(from) || !Number.isInteger(to)) return 'from and to must be bucket indexes (integers)';
  const [f, t] = [from as number, to as number];
  if (f < 0 || t > BUCKET_COUNT || f >= t) return `from and to must satisfy 0 <= from < to <= ${BUCKET_COUNT}`;
  if (t - f > RECONCILE_MAX_BUCKETS) return `covers at most ${RECONCILE_MAX_BUCKETS} buckets; found ${t - f}`;
  return undefined;
}
