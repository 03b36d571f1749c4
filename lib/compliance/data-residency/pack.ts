import { NagPackProps } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { PackRule, RulePack } from '../rule-pack';
import * as rules from './rules';

/**
 * Keeps every realm's data inside the realm's jurisdiction (the regions of the realm
 * catalog, lib/config/realms.ts). Each stack records its realms with `tagRealm`; the pack
 * refuses stores outside the jurisdiction, replicas, replication, multi-Region keys, backup
 * copies, log subscriptions, Firehose and Kinesis destinations out of it, Lambda environments
 * and IAM policies naming another region's stores, and stores in a stack without a realm; it records
 * an egress function's calls out of the region (Atlassian API hosts only, acknowledged by `AtlassianEgress`).
 * What the app cannot locate (an imported ARN without a region, a bucket it does not define,
 * a parameter) counts as outside.
 *
 * A cdk-nag 3 pack: `Validations.of(app).addPlugins(new DataResidencyChecks(app))`;
 * findings are acknowledged as `DataResidency::DataResidency-<Rule>` (granular findings:
 * `DataResidency::DataResidency-<Rule>[<finding>]`).
 */
export class DataResidencyChecks extends RulePack {
  /** The plugin name findings are reported under. */
  public readonly name = 'DataResidency';
  /** The pack's rules. */
  public readonly rules: readonly PackRule[] = [
    rules.StatefulResourceHasRealm,
    rules.StatefulResourceInJurisdiction,
    rules.DynamoDBReplicasInJurisdiction,
    rules.DynamoDBGlobalTablePITR,
    rules.DynamoDBGlobalTableCMK,
    rules.KMSKeyNotMultiRegion,
    rules.SecretReplicasInJurisdiction,
    rules.S3ReplicationInJurisdiction,
    rules.BackupCopyInJurisdiction,
    rules.LogSubscriptionInJurisdiction,
    rules.FirehoseDestinationInJurisdiction,
    rules.KinesisDestinationInJurisdiction,
    rules.LambdaEnvironmentInJurisdiction,
    rules.LambdaEgressToAtlassianOnly,
    rules.IAMPolicyInJurisdiction,
  ];

  constructor(scope?: IConstruct, props?: NagPackProps) {
    super(scope, props);
    this.packName = 'DataResidency';
  }
}
