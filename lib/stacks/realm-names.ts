import { createHash } from 'node:crypto';
import { Aws } from 'aws-cdk-lib';
import { realmKeyAliasName } from '../../constructs/realm-key';
import type { MigrationRealmSettings } from '../../runtime/lambda/settings';
import type { ResidencyConfig } from '../config/load';

/**
 * The fixed names of each realm stack's stores. A migration function in one region reads and
 * writes the stores of realms in other regions; CloudFormation cannot reference across
 * regions, so those stores have names every stack can compute from the config.
 */

/** The tenant table of the stack owned by `stackRealm`: `<StackPrefix>-<Realm>-tenants`. */
export function tenantTableName(stackPrefix: string, stackRealm: string): string {
  return `${stackPrefix}-${stackRealm}-tenants`;
}

/**
 * The data bucket of the stack owned by `stackRealm` in `region`:
 * `<prefix>-<realm>-data-<account>-<region>`, at most 63 characters.
 */
export function dataBucketName(stackPrefix: string, stackRealm: string, region: string): string {
  return `${stackPrefix.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 20)}-${stackRealm.toLowerCase()}-data-${Aws.ACCOUNT_ID}-${region}`;
}

/** Longest name AWS Backup accepts for a plan. */
const BACKUP_PLAN_NAME_MAX = 50;

/**
 * The backup plan of an app's stack owned by `stackRealm`: `<app-key>-<realm>` with every character AWS Backup does
 * not allow as `-`; unique per app and realm, so two realm stacks in one region never share a plan name. A name over
 * 50 characters keeps its start and ends with a hash of the whole, so it stays unique.
 */
export function backupPlanName(appKey: string, stackRealm: string): string {
  const name = `${appKey}-${stackRealm.toLowerCase()}`.replace(/[^A-Za-z0-9_.-]/g, '-');
  if (name.length <= BACKUP_PLAN_NAME_MAX) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, BACKUP_PLAN_NAME_MAX - hash.length - 1)}-${hash}`;
}

/** Where each configured realm's tenant data lives, as the migration functions reach it (`RESIDENCY_MIGRATION_REALMS`). */
export function migrationRealmSettings(config: ResidencyConfig): Record<string, MigrationRealmSettings> {
  return Object.fromEntries(
    config.realms.map((realm) => [
      realm.name,
      {
        region: realm.region,
        stackRealm: realm.stackRealm,
        tableName: tenantTableName(config.stackPrefix, realm.stackRealm),
        // The key by its alias: a key's id is generated, an alias name is not.
        keyArn: `arn:${Aws.PARTITION}:kms:${realm.region}:${Aws.ACCOUNT_ID}:${realmKeyAliasName(config.app.key, realm.stackRealm)}`,
        bucketName: dataBucketName(config.stackPrefix, realm.stackRealm, realm.region),
      },
    ]),
  );
}
