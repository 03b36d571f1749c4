import { DIRECTORY_LAYOUT, REALM_CODES, realmOfCode } from './layout';

/** A stored value that is not a well-formed bucket, or a bucket that cannot take another record. */
export class DirectoryFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DirectoryFormatError';
  }
}

const RECORD = new RegExp(`^[A-Za-z0-9_-]{${DIRECTORY_LAYOUT.fingerprintLength}}[${Object.values(REALM_CODES).join('')}]$`);

/** The realm code of `realm`; a TypeError naming the realm when it is not an Atlassian realm. */
export function realmCode(realm: string): string {
  const code = Object.prototype.hasOwnProperty.call(REALM_CODES, realm) ? REALM_CODES[realm] : undefined;
  if (code === undefined) {
    throw new TypeError(`Unknown realm ${JSON.stringify(String(realm).slice(0, 40))}; expected one of ${Object.keys(REALM_CODES).join(', ')}`);
  }
  return code;
}

/**
 * The records of one bucket, fingerprint -> realm name, parsed from its stored value.
 * @throws DirectoryFormatError naming the bucket when the value is not a list of records
 */
export function parseBucket(bucket: string, value: string | undefined): Map<string, string> {
  const records = new Map<string, string>();
  if (value === undefined || value === '') return records;
  const size = DIRECTORY_LAYOUT.recordLength;
  if (value.length % size !== 0) {
    throw new DirectoryFormatError(`Directory bucket ${bucket} holds ${value.length} characters; expected a multiple of ${size} (records of fingerprint and realm code)`);
  }
  for (let i = 0; i < value.length; i += size) {
    const record = value.slice(i, i + size);
    if (!RECORD.test(record)) throw new DirectoryFormatError(`Directory bucket ${bucket} has a malformed record at character ${i}`);
    records.set(record.slice(0, -1), realmOfCode(record.slice(-1))!);
  }
  return records;
}

/**
 * The stored value of a bucket holding `records` (fingerprint -> realm name), sorted by
 * fingerprint so equal contents always give equal values.
 * @throws DirectoryFormatError when the bucket key and value together exceed the KVS entry limit
 */
export function formatBucket(bucket: string, records: ReadonlyMap<string, string>): string {
  const value = [...records.keys()]
    .sort()
    .map((fingerprint) => fingerprint + realmCode(records.get(fingerprint)!))
    .join('');
  if (bucket.length + value.length > DIRECTORY_LAYOUT.maxEntryChars) {
    throw new DirectoryFormatError(
      `Directory bucket ${bucket} would hold ${records.size} records (${bucket.length + value.length} characters with its key); a KVS entry takes at most ${DIRECTORY_LAYOUT.maxEntryChars}`,
    );
  }
  return value;
}
