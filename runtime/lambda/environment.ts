/**
 * Names of the environment variables the realm stack sets on the app's functions.
 * Data only, so the CDK constructs and the handlers share one spelling.
 */
export const ENV = {
  /** The Atlassian app key. */
  appKey: 'RESIDENCY_APP_KEY',
  /** The realm that owns the stack (encryption context `realm`). */
  realm: 'RESIDENCY_REALM',
  /** JSON array of every base URL of the app (Global and each realm), the audiences of signed installs. */
  baseUrls: 'RESIDENCY_BASE_URLS',
  /** This realm's base URL (its path, if any, is the base path for qsh). */
  baseUrl: 'RESIDENCY_BASE_URL',
  /** The tenant table name. */
  tableName: 'RESIDENCY_TABLE_NAME',
  /** ARN of the realm key that wraps tenant data keys. */
  keyArn: 'RESIDENCY_KEY_ARN',
  /** Prefix of the app secrets' names (`<appKey>/<realm>/`). */
  secretPrefix: 'RESIDENCY_SECRET_PREFIX',
  /** Days an uninstalled tenant is kept before it is crypto-shredded. */
  shredAfterDays: 'RESIDENCY_SHRED_AFTER_DAYS',
} as const;
