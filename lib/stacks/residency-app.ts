import { Aws, Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ResidencyConfig } from '../config/load';
import { publishedConnectDescriptor } from '../atlassian/artefacts';
import { EDGE_REGION, EdgeLogStack, GlobalEdgeStack, edgeContentBucketName, edgeLogBucketName } from './global-edge-stack';
import { directoryWriterName } from '../../constructs/tenant-directory';
import { RealmStack } from './realm-stack';
import { dataBucketName, migrationRealmSettings, tenantTableName } from './realm-names';

/** The stacks {@link addResidencyStacks} built. */
export interface ResidencyStacks {
  /** One stack per realm (or per group of realms sharing a stack), in catalog order. */
  readonly realmStacks: readonly RealmStack[];
  /** The global edge on the global host name, in us-east-1, named `<StackPrefix>-Edge`. */
  readonly edgeStack: GlobalEdgeStack;
  /** The bucket of the edge's access logs, in `edge.logRegion`, named `<StackPrefix>-EdgeLogs`. */
  readonly edgeLogStack: EdgeLogStack;
}

/**
 * Adds a {@link RealmStack} for every stack the config plans, each in its realm's region,
 * named `<StackPrefix>-<Realm>`, and the global edge: a {@link GlobalEdgeStack}
 * (`<StackPrefix>-Edge`, us-east-1) and the {@link EdgeLogStack} of its access logs
 * (`<StackPrefix>-EdgeLogs`, in `edge.logRegion`). `scope` is an App or Stage.
 */
export function addResidencyStacks(scope: Construct, config: ResidencyConfig): ResidencyStacks {
  const migrations = migrationRealmSettings(config);
  // The API Gateway account setting is one per region: the first realm stack of each region owns it.
  const accountOwners = new Map<string, RealmStack>();
  const realmStacks = config.stacks.map((plan) => {
    const owner = accountOwners.get(plan.region);
    const stack = new RealmStack(scope, `${config.stackPrefix}-${plan.owner}`, {
      env: { account: config.app.account, region: plan.region },
      description: `cdk-residency: ${config.app.name}, data of realm ${plan.realms.join(' and ')} in ${plan.region}`,
      appKey: config.app.key,
      app: { entry: config.app.entry },
      realms: plan.realms,
      hostnames: plan.realms.map((name) => config.realms.find((r) => r.name === name)!.hostname),
      hostedZone: config.domain.hostedZone,
      baseUrls: [config.globalBaseUrl, ...config.realms.map((r) => r.baseUrl)],
      shredAfterDays: config.tenants.shredAfterDays,
      logRetention: config.retention.logDays,
      backupRetention: Duration.days(config.retention.backupDays),
      secrets: config.secrets,
      directoryWriterName: directoryWriterName(config.stackPrefix),
      forgeAppId: config.app.forgeAppId,
      tableName: tenantTableName(config.stackPrefix, plan.owner),
      bucketName: dataBucketName(config.stackPrefix, plan.owner, plan.region),
      migration: { realms: migrations, maxConcurrent: config.migration.maxConcurrent },
      reservedConcurrency: config.functions.reservedConcurrency,
      availabilityZoneIds: plan.availabilityZoneIds,
      ownsApiGatewayAccount: owner === undefined,
    });
    if (owner === undefined) accountOwners.set(plan.region, stack);
    else stack.addStackDependency(owner, `${owner.stackName} sets the API Gateway account of ${plan.region} that this stack's stage logs with`);
    return stack;
  });
  const logBucketName = edgeLogBucketName(config.stackPrefix, config.edge.logRegion);
  const edgeLogStack = new EdgeLogStack(scope, `${config.stackPrefix}-EdgeLogs`, {
    env: { account: config.app.account, region: config.edge.logRegion },
    description: `cdk-residency: ${config.app.name}, access logs of the global edge (request metadata only) in ${config.edge.logRegion}`,
    appKey: config.app.key,
    bucketName: logBucketName,
    retention: Duration.days(config.retention.logDays),
  });
  const edgeStack = new GlobalEdgeStack(scope, `${config.stackPrefix}-Edge`, {
    env: { account: config.app.account, region: EDGE_REGION },
    description: `cdk-residency: ${config.app.name}, global edge of ${config.domain.name} (metadata only: routing, no tenant data)`,
    appKey: config.app.key,
    domainName: config.domain.name,
    hostedZone: config.domain.hostedZone,
    realmHosts: Object.fromEntries(config.realms.map((r) => [r.name, r.hostname])),
    directoryWriterName: directoryWriterName(config.stackPrefix),
    accessLogBucketArn: `arn:${Aws.PARTITION}:s3:::${logBucketName}`,
    connectDescriptor: publishedConnectDescriptor(config),
    staticDir: config.app.staticDir,
    contentBucketName: edgeContentBucketName(config.stackPrefix),
    logRetention: config.retention.logDays,
    reservedConcurrency: config.functions.reservedConcurrency,
  });
  // The log delivery needs its bucket; the edge names it rather than importing it across regions.
  edgeStack.addStackDependency(edgeLogStack, 'the edge delivers its access logs to this bucket');
  return { realmStacks, edgeStack, edgeLogStack };
}
