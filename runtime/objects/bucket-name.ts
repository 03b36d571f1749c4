/** `props.bucketName`, or a TypeError naming `who` when it is missing or empty. */
export function requireBucketName(who: string, props: { readonly bucketName?: unknown } | undefined): string {
  const name = props?.bucketName;
  if (typeof name !== 'string' || name === '') throw new TypeError(`${who} needs a bucketName, got ${JSON.stringify(name)}`);
  return name;
}
