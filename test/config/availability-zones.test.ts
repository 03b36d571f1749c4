import { DEFAULT_AVAILABILITY_ZONE_IDS, REALM_NAMES, availabilityZoneIdPrefix, availabilityZoneIdsProblem, jurisdictionOf, parseConfig } from '../../lib/config';
import { exampleConfigJson } from '../helpers/example-config';

describe('availabilityZoneIdPrefix', () => {
  it.each([
    ['us-east-1', 'use1'], ['us-west-2', 'usw2'], ['eu-central-1', 'euc1'], ['eu-north-1', 'eun1'], ['ap-southeast-2', 'apse2'],
    ['ap-northeast-1', 'apne1'], ['ap-south-2', 'aps2'], ['ca-west-1', 'caw1'], ['sa-east-1', 'sae1'], ['il-central-1', 'ilc1'],
  ])('names the AZ ids of %s %s-az<n>', (region, prefix) => {
    expect(availabilityZoneIdPrefix(region)).toBe(prefix);
  });

  it('knows no prefix for a name of another shape', () => {
    expect(availabilityZoneIdPrefix('eu-moon-1')).toBeUndefined();
    expect(availabilityZoneIdPrefix('us-east-1a')).toBeUndefined();
  });
});

describe('DEFAULT_AVAILABILITY_ZONE_IDS', () => {
  const pinned = REALM_NAMES.filter((r) => r !== 'Global').flatMap((r) => jurisdictionOf(r));

  it('has a pair for every region of a pinned realm', () => {
    expect(pinned.filter((region) => DEFAULT_AVAILABILITY_ZONE_IDS[region] === undefined)).toEqual([]);
  });

  it('holds two distinct AZ ids of its own region in each pair', () => {
    for (const [region, ids] of Object.entries(DEFAULT_AVAILABILITY_ZONE_IDS)) expect([region, availabilityZoneIdsProblem(region, ids)]).toEqual([region, undefined]);
  });

  it('avoids the zones known to lack endpoints or to be closed to new accounts', () => {
    const all = Object.values(DEFAULT_AVAILABILITY_ZONE_IDS).flat();
    for (const id of ['use1-az3', 'usw1-az2', 'apne1-az3', 'cac1-az3']) expect(all).not.toContain(id);
  });
});

describe('realms.<Realm>.availabilityZoneIds', () => {
  it('reaches the stack plan of the realm that owns the stack, and only that one', () => {
    const json = exampleConfigJson();
    json.realms.EU.availabilityZoneIds = ['euc1-az3', 'euc1-az1'];
    const config = parseConfig(json);
    expect(config.stacks.find((s) => s.owner === 'EU')!.availabilityZoneIds).toEqual(['euc1-az3', 'euc1-az1']);
    expect(config.stacks.find((s) => s.owner === 'US')!.availabilityZoneIds).toBeUndefined();
  });
});
