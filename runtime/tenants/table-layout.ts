/**
 * Attribute names of the tenant table. Data only, so the CDK construct that creates the
 * table and the runtime that reads it share one spelling.
 */
export const TABLE_LAYOUT = {
  /** Partition key (string): the tenant's partition, or an installation claim. */
  partitionKey: 'pk',
  /** Sort key (string): which record of the partition (the tenant record, its wrapped key, a data item). */
  sortKey: 'sk',
  /** DynamoDB TTL attribute (epoch seconds): set on an uninstalled tenant's items so DynamoDB deletes them. */
  ttlAttribute: 'expiresAt',
} as const;
