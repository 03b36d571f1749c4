/**
 * Compares two keys as DynamoDB (binary sort keys of strings) and S3 (listings) order them:
 * by their UTF-8 bytes. JavaScript's `<` compares UTF-16 code units, which puts characters
 * outside the Basic Multilingual Plane before U+E000..U+FFFF, unlike both services.
 */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
