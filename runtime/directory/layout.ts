/**
 * How the hashed tenant directory is laid out in a CloudFront KeyValueStore. Constants
 * only: the edge router function (generated at synth), the writers and the image builder
 * all read them from here.
 *
 * A tenant id is hashed with HMAC-SHA256 under the directory key, and the digest is
 * written in base64url (6 bits a character). Its first two characters and the top two
 * bits of the third name one of 2^14 = 16,384 **buckets** (the KVS key, 3 characters);
 * the next 12 characters (72 bits) are the tenant's **fingerprint**. A bucket's value
 * is the concatenation of its records, each a fingerprint followed by a one-character
 * realm code, sorted by fingerprint.
 *
 * Why buckets: the KVS import file format costs about 22 bytes of JSON per entry, so
 * one entry per tenant would take 250,000 x 40 bytes = 10 MB, twice the 5 MB limit.
 * Packing records 13 bytes each into 16,384 buckets costs 16,384 x 25 + 250,000 x 13
 * = 3.66 MB, and the limit is reached only near 350,000 tenants.
 *
 * Why 86 bits: two tenants collide only if bucket and fingerprint both match (14 + 72
 * = 86 bits). For n tenants the chance of any collision is at most n(n-1)/2 / 2^86:
 * for n = 250,000 that is 3.1e10 / 7.7e25 = 4e-16. Bucket sizes are Poisson with mean
 * 250,000 / 16,384 = 15.3; the fullest of 16,384 buckets holds about 35 records (455
 * characters), far below the 1 KB a key and its value may take together (78 records).
 */
export const DIRECTORY_LAYOUT = Object.freeze({
  /** Characters of a bucket key. */
  bucketKeyLength: 3,
  /** The digest characters taken whole into the bucket key. */
  bucketWholeChars: 2,
  /** Third bucket character: the top two bits of the digest's third character pick one of these. */
  bucketTailAlphabet: 'ABCD',
  /** Digest characters (from index 3) that form the fingerprint. */
  fingerprintLength: 12,
  /** A record: fingerprint and realm code. */
  recordLength: 13,
  /** At most this many characters in a key and its value together (the KVS limit). */
  maxEntryChars: 1024,
  /**
   * The reserved entry holding the directory key itself, for the edge function (which
   * cannot read Secrets Manager). Longer than a bucket key, so it never collides with one.
   */
  keyEntry: 'directory-key',
});

/** The base64url alphabet, in digit order. */
export const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * One-character code of each realm in directory records. Fixed forever: stored records
 * depend on them, so never reuse or reorder a code (a new realm gets a new letter).
 */
export const REALM_CODES: Readonly<Record<string, string>> = Object.freeze({
  Global: 'G',
  US: 'U',
  EU: 'E',
  DE: 'D',
  AU: 'A',
  SG: 'S',
  CA: 'C',
  IN: 'I',
  KR: 'K',
  JP: 'J',
  GB: 'B',
  CH: 'H',
});

/**
 * The largest import file (and store) CloudFront accepts: "5 MB". AWS does not say
 * whether that is 5,000,000 or 5,242,880 bytes, so the smaller is the limit we hold to.
 */
export const KVS_MAX_BYTES = 5_000_000;

/** The realm named by a record's code, or undefined for a code no realm has. */
export function realmOfCode(code: string): string | undefined {
  return Object.keys(REALM_CODES).find((realm) => REALM_CODES[realm] === code);
}
