import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DEFAULT_AVAILABILITY_ZONE_IDS, parseConfig } from '../../lib/config';
import { RealmStack } from '../../lib/stacks/realm-stack';
import { addResidencyStacks } from '../../lib/stacks/residency-app';
import { NO_BUNDLING } from '../helpers/example-app';
import { exampleConfigJson } from '../helpers/example-config';

const zone = { id: 'Z0123456789EXAMPLE0AB', name: 'example.com' };

describe('RealmStack with its API', () => {
  it('synthesizes with an explicit account and region without any context lookup (no Availability Zone lookup)', () => {
    const json = exampleConfigJson();
    json.app.account = '111122223333';
    const app = new App({ context: NO_BUNDLING });
    const { realmStacks } = addResidencyStacks(app, parseConfig(json, 'with-account.json'));
    const assembly = app.synth();
    expect(assembly.manifest.missing ?? []).toEqual([]);
    for (const stack of realmStacks) {
      expect(stack.account).toBe('111122223333');
      const subnets = Object.values(Template.fromStack(stack).findResources('AWS::EC2::Subnet'));
      // Pinned by AZ id (the region's default pair): no zone name, so nothing to look up per account.
      expect(subnets.map((s) => [s.Properties.AvailabilityZone, s.Properties.AvailabilityZoneId])).toEqual(
        DEFAULT_AVAILABILITY_ZONE_IDS[stack.region]!.map((id) => [undefined, id]),
      );
    }
  });

  it('refuses host names that do not match its realms one to one', () => {
    const app = new App({ context: NO_BUNDLING });
    expect(
      () => new RealmStack(app, 'Shared', {
        env: { region: 'eu-central-1' }, appKey: 'a', realms: ['EU', 'DE'], hostnames: ['eu.example.com'], hostedZone: zone, baseUrls: ['https://eu.example.com'],
      }),
    ).toThrow(/found 1 host names for 2 realms \(EU, DE\); expected one host name per realm/);
  });

  it("refuses base URLs that leave out the owner realm's own", () => {
    const app = new App({ context: NO_BUNDLING });
    expect(
      () => new RealmStack(app, 'Eu', {
        env: { region: 'eu-central-1' }, appKey: 'a', realms: ['EU'], hostnames: ['eu.example.com'], hostedZone: zone, baseUrls: ['https://example.com'],
      }),
    ).toThrow(/expected them to include https:\/\/eu\.example\.com, the owner realm's base URL/);
  });

  it('passes the configured shredAfterDays to the functions', () => {
    const json = exampleConfigJson();
    json.tenants = { shredAfterDays: 7 };
    const app = new App({ context: NO_BUNDLING });
    const { realmStacks } = addResidencyStacks(app, parseConfig(json, 'shred.json'));
    const t = Template.fromStack(realmStacks[0]!);
    t.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { RESIDENCY_SHRED_AFTER_DAYS: '7' } } });
  });
});
