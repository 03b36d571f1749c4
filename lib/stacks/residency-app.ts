import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ResidencyConfig } from '../config/load';
import { RealmStack } from './realm-stack';

/** The stacks {@link addResidencyStacks} built. */
export interface ResidencyStacks {
  /** One stack per realm (or per group of realms sharing a stack), in catalog order. */
  readonly realmStacks: readonly RealmStack[];
}

/**
 * Adds a {@link RealmStack} for every stack the config plans, each in its realm's region,
 * named `<StackPrefix>-<Realm>`. `scope` is an App or Stage.
 */
export function addResidencyStacks(scope: Construct, config: ResidencyConfig): ResidencyStacks {
  const realmStacks = config.stacks.map(
    (plan) =>
      new RealmStack(scope, `${config.stackPrefix}-${plan.owner}`, {
        env: { account: config.app.account, region: plan.region },
        description: `cdk-residency: ${config.app.name}, data of realm ${plan.realms.join(' and ')} in ${plan.region}`,
        appKey: config.app.key,
        realms: plan.realms,
        hostnames: plan.realms.map((name) => config.realms.find((r) => r.name === name)!.hostname),
        hostedZone: config.domain.hostedZone,
        baseUrls: [config.globalBaseUrl, ...config.realms.map((r) => r.baseUrl)],
        shredAfterDays: config.tenants.shredAfterDays,
        logRetention: config.retention.logDays,
        backupRetention: Duration.days(config.retention.backupDays),
        secrets: config.secrets,
      }),
  );
  return { realmStacks };
}
