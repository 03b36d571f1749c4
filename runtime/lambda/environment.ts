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
  /**
   * JSON object from realm name to where that realm's tenant data lives, for the migration
   * hooks (this realm included): `{"EU": {"region": "eu-central-1", "stackRealm": "EU",
   * "tableName": "...", "keyArn": "...", "bucketName": "..."}}` (`bucketName` optional).
   */
  migrationRealms: 'RESIDENCY_MIGRATION_REALMS',
  /** How many migrations out of this realm may be open at once. */
  migrationMaxConcurrent: 'RESIDENCY_MIGRATION_MAX_CONCURRENT',
  /**
   * Name or ARN of the tenant directory function this function calls (the realm's relay, or
   * for the relay, the edge's directory writer): a `FunctionDirectory`.
   */
  directoryFunction: 'RESIDENCY_DIRECTORY_FUNCTION',
  /** Name of the realm's migration function, which the app function passes migration hooks to. */
  migrationFunction: 'RESIDENCY_MIGRATION_FUNCTION',
  /** JSON array of the realms a directory function may record tenants in. */
  directoryRealms: 'RESIDENCY_DIRECTORY_REALMS',
  /** JSON object from each host name a stack of several realms serves to that host's realm: installs are recorded under it. */
  realmHosts: 'RESIDENCY_REALM_HOSTS',
  /** ARN of the CloudFront KeyValueStore holding the tenant directory (the directory writer's). */
  directoryKvsArn: 'RESIDENCY_DIRECTORY_KVS_ARN',
  /** ARN of the secret holding the directory key (the directory writer's, and each relay's, which hashes in its realm). */
  directoryKeySecretArn: 'RESIDENCY_DIRECTORY_KEY_SECRET_ARN',
  /** The Forge app id (its ARI or UUID), for a Forge remote's invocation tokens. */
  forgeAppId: 'RESIDENCY_FORGE_APP_ID',
  /**
   * JSON array of the routes an authorizer stands in front of (`[{"method": "GET", "path":
   * "/api/items/:id", "auth": "context"}]`): route data only, from `routeSpecs(app)`.
   */
  routes: 'RESIDENCY_ROUTES',
  /** ARN of the tenant-access role the app function assumes per tenant (`TenantAccessRole`). */
  tenantRoleArn: 'RESIDENCY_TENANT_ROLE_ARN',
  /** The realm's data bucket (`tenant.objects`). */
  bucketName: 'RESIDENCY_BUCKET_NAME',
  /** Name of the realm's Atlassian egress function, which `tenant.atlassian` calls go through. */
  egressFunction: 'RESIDENCY_EGRESS_FUNCTION',
  /** JSON array of the host patterns the egress function reaches (`ATLASSIAN_API_HOSTS`): the record the DataResidency pack and trust report read. */
  egressHosts: 'RESIDENCY_EGRESS_HOSTS',
} as const;
