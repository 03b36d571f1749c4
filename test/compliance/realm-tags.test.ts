import { App, Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { METADATA_ONLY_TAG_KEY, REALM_TAG_KEY, isMetadataOnly, jurisdictionOfRealms, realmsOfStack, tagMetadataOnly, tagRealm } from '../../lib/compliance/realm-tags';
import { RealmStack } from '../../lib/stacks/realm-stack';
import { testApp } from './pack-findings';

const REASON = 'CloudFront configuration and a hashed tenant directory only: no tenant data rests here.';

describe('tagRealm', () => {
  it('records the realms of a shared stack as one stack tag, in order, once each', () => {
    const app = testApp();
    const stack = new Stack(app, 'Frankfurt', { env: { region: 'eu-central-1' } });
    tagRealm(stack, 'EU');
    tagRealm(stack, 'DE');
    tagRealm(stack, 'EU');
    new sqs.Queue(stack, 'Queue');
    expect(realmsOfStack(stack)).toEqual(['EU', 'DE']);
    expect(app.synth().getStackByName('Frankfurt').tags).toMatchObject({ [REALM_TAG_KEY]: 'EU+DE' });
  });

  it('refuses a name that is not an Atlassian realm, naming the stack', () => {
    const stack = new Stack(new App(), 'S');
    expect(() => tagRealm(stack, 'Europe')).toThrow('tagRealm: found realm "Europe" for stack S; expected one of Global, US, EU, DE, AU, SG, CA, IN, KR, JP, GB, CH');
  });

  it('refuses a construct that is not a stack', () => {
    const stack = new Stack(new App(), 'S');
    expect(() => tagRealm(new sqs.Queue(stack, 'Q') as never, 'EU')).toThrow('tagRealm: found construct S/Q; expected a Stack');
  });

  it('is recorded by RealmStack for each of its realms', () => {
    const app = testApp();
    const stack = new RealmStack(app, 'Shared', {
      env: { region: 'eu-central-1' },
      appKey: 'com.acme.app',
      realms: ['EU', 'DE'],
      hostnames: ['eu.app.acme.com', 'de.app.acme.com'],
      hostedZone: { id: 'Z0123456789ABCDEFGHIJ', name: 'acme.com' },
      baseUrls: ['https://app.acme.com', 'https://eu.app.acme.com', 'https://de.app.acme.com'],
    });
    expect(realmsOfStack(stack)).toEqual(['EU', 'DE']);
  });
});

describe('tagMetadataOnly', () => {
  it('records the declaration as a stack tag', () => {
    const app = testApp();
    const stack = new Stack(app, 'Edge', { env: { region: 'us-east-1' } });
    tagMetadataOnly(stack, REASON);
    new sqs.Queue(stack, 'Queue');
    expect(isMetadataOnly(stack)).toBe(true);
    expect(app.synth().getStackByName('Edge').tags).toMatchObject({ [METADATA_ONLY_TAG_KEY]: 'true' });
  });

  it('refuses a reason a reviewer could not check', () => {
    expect(() => tagMetadataOnly(new Stack(new App(), 'Edge'), 'global')).toThrow(/found a reason of 6 characters for stack Edge; expected at least 40/);
  });

  it('refuses a stack with a realm, and tagRealm refuses a metadata-only stack', () => {
    const app = new App();
    const eu = new Stack(app, 'Eu');
    tagRealm(eu, 'EU');
    expect(() => tagMetadataOnly(eu, REASON)).toThrow('tagMetadataOnly: found stack Eu tagged with realm EU; expected a stack without realm data');
    const edge = new Stack(app, 'Edge');
    tagMetadataOnly(edge, REASON);
    expect(() => tagRealm(edge, 'US')).toThrow(/tagRealm: found stack Edge declared metadata-only/);
  });
});

describe('jurisdictionOfRealms', () => {
  it("is the intersection of the realms' jurisdictions, and nothing without realms", () => {
    expect([...jurisdictionOfRealms(['EU', 'DE'])!]).toEqual(['eu-central-1']);
    expect([...jurisdictionOfRealms(['EU', 'GB'])!]).toEqual([]);
    expect(jurisdictionOfRealms(['Global'])!.has('sa-east-1')).toBe(true);
    expect(jurisdictionOfRealms([])).toBeUndefined();
  });
});
