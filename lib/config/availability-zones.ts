/**
 * Availability Zones by AZ id (`use1-az1`), which name the same zone in every account (AZ names
 * such as `us-east-1a` are shuffled per account). A realm stack's two subnets go to the pair
 * below unless the config names one (`realms.<Realm>.availabilityZoneIds`).
 */

const DIRECTIONS: Readonly<Record<string, string>> = {
  north: 'n', south: 's', east: 'e', west: 'w', central: 'c', northeast: 'ne', northwest: 'nw', southeast: 'se', southwest: 'sw',
};

/** The prefix of a region's AZ ids (`us-east-1` -> `use1`, `ap-southeast-2` -> `apse2`), or undefined for a name of another shape. */
export function availabilityZoneIdPrefix(region: string): string | undefined {
  const m = /^([a-z]{2})-([a-z]+)-(\d+)$/.exec(region);
  const direction = m ? DIRECTIONS[m[2]!] : undefined;
  return m && direction ? `${m[1]}${direction}${m[3]}` : undefined;
}

/**
 * Default AZ-id pairs for the regions of the realm catalog's jurisdictions: zones every account
 * has and that no report names as lacking an interface endpoint service. Left out on purpose:
 * use1-az3 (constrained: no Lambda or other interface endpoints), usw1-az2, apne1-az3 and
 * cac1-az3 (not offered to new accounts). Regions missing here fall back to `Fn::GetAZs` with a
 * synth warning; name the pair in the config there.
 */
export const DEFAULT_AVAILABILITY_ZONE_IDS: Readonly<Record<string, readonly [string, string]>> = {
  'us-east-1': ['use1-az1', 'use1-az2'],
  'us-east-2': ['use2-az1', 'use2-az2'],
  'us-west-1': ['usw1-az1', 'usw1-az3'],
  'us-west-2': ['usw2-az1', 'usw2-az2'],
  'ca-central-1': ['cac1-az1', 'cac1-az2'],
  'ca-west-1': ['caw1-az1', 'caw1-az2'],
  'eu-central-1': ['euc1-az1', 'euc1-az2'],
  'eu-central-2': ['euc2-az1', 'euc2-az2'],
  'eu-west-1': ['euw1-az1', 'euw1-az2'],
  'eu-west-2': ['euw2-az1', 'euw2-az2'],
  'eu-west-3': ['euw3-az1', 'euw3-az2'],
  'eu-north-1': ['eun1-az1', 'eun1-az2'],
  'eu-south-1': ['eus1-az1', 'eus1-az2'],
  'eu-south-2': ['eus2-az1', 'eus2-az2'],
  'ap-southeast-1': ['apse1-az1', 'apse1-az2'],
  'ap-southeast-2': ['apse2-az1', 'apse2-az2'],
  'ap-southeast-4': ['apse4-az1', 'apse4-az2'],
  'ap-south-1': ['aps1-az1', 'aps1-az2'],
  'ap-south-2': ['aps2-az1', 'aps2-az2'],
  'ap-northeast-1': ['apne1-az1', 'apne1-az4'],
  'ap-northeast-2': ['apne2-az1', 'apne2-az3'],
  'ap-northeast-3': ['apne3-az1', 'apne3-az2'],
};

/**
 * What is wrong with `ids` as the AZ ids of a stack in `region`, phrased as what is expected;
 * undefined when they are two distinct ids of that region.
 */
export function availabilityZoneIdsProblem(region: string, ids: readonly string[]): string | undefined {
  const prefix = availabilityZoneIdPrefix(region);
  const example = prefix ? `["${prefix}-az1", "${prefix}-az2"]` : 'two AZ ids of the region';
  if (ids.length !== 2) return `exactly two AZ ids of ${region}, such as ${example}`;
  if (ids[0] === ids[1]) return `two distinct AZ ids of ${region}, such as ${example}`;
  const foreign = ids.find((id) => prefix === undefined || !new RegExp(`^${prefix}-az\\d+$`).test(id));
  if (foreign !== undefined) return `AZ ids of ${region} (${prefix ?? 'its prefix'}-az<n>), such as ${example}; ${JSON.stringify(foreign)} is not one`;
  return undefined;
}
