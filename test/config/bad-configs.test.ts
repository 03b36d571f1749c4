import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, ConfigProblem, loadConfig, parseConfig } from '../../lib/config';
import { exampleConfigJson } from '../helpers/example-config';

function problemsOf(mutate: (c: any) => void): ConfigProblem[] {
  const c = exampleConfigJson();
  mutate(c);
  try {
    parseConfig(c, 'test.json');
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
  throw new Error('expected the config to be refused');
}

const cases: Array<[string, (c: any) => void, string, RegExp]> = [
  ['an unknown realm', (c) => (c.realms.Mars = {}), '$.realms.Mars', /found an unknown realm "Mars"; expected a realm name, one of Global/],
  ['a realm name in the wrong case', (c) => (c.realms.eu = {}), '$.realms.eu', /expected a realm name/],
  ['EU on eu-west-2 (London is not in the EU)', (c) => (c.realms.EU.region = 'eu-west-2'), '$.realms.EU.region', /found "eu-west-2"; expected a region in EU's jurisdiction/],
  ['CH on eu-central-1 (Frankfurt is not Zurich)', (c) => (c.realms.CH = { region: 'eu-central-1' }), '$.realms.CH.region', /expected a region in CH's jurisdiction \(eu-central-2\)/],
  ['EU and DE sharing a Dublin stack', (c) => { c.realms.EU.region = 'eu-west-1'; c.realms.DE = { shareStackWith: 'EU' }; }, '$.realms.DE.shareStackWith', /found "EU"; expected a stack in DE's jurisdiction \(eu-central-1\), but EU's stack is in eu-west-1/],
  ['no Global realm', (c) => delete c.realms.Global, '$.realms.Global', /found nothing; expected a Global realm/],
  ['a region that does not exist', (c) => (c.realms.Global.region = 'eu-moon-1'), '$.realms.Global.region', /expected a commercial AWS region/],
  ['both region and shareStackWith', (c) => (c.realms.DE = { region: 'eu-central-1', shareStackWith: 'EU' }), '$.realms.DE.shareStackWith', /either region or shareStackWith/],
  ['sharing the stack of a realm that is not configured', (c) => (c.realms.DE = { shareStackWith: 'CH' }), '$.realms.DE.shareStackWith', /another realm configured in this file/],
  ['a domain with a scheme', (c) => (c.domain.name = 'https://app.example.com'), '$.domain.name', /lower-case DNS name/],
  ['a domain outside its hosted zone', (c) => (c.domain.name = 'app.example.org'), '$.domain.name', /inside the hosted zone example.com/],
  ['a malformed hosted zone id', (c) => (c.domain.hostedZone.id = 'zone-1'), '$.domain.hostedZone.id', /Route 53 hosted zone id/],
  ['two realms with the same base URL', (c) => (c.realms.DE.hostname = 'eu.app.example.com'), '$.realms.DE.hostname', /already used by realms.EU/],
  ['a realm on the global host name', (c) => (c.realms.AU.hostname = 'app.example.com'), '$.realms.AU.hostname', /already used by domain.name/],
  ['a realm host outside the hosted zone', (c) => (c.realms.AU.hostname = 'au.example.net'), '$.realms.AU.hostname', /inside the hosted zone/],
  ['an unknown scope', (c) => (c.scopes = ['READ', 'EVERYTHING']), '$.scopes[1]', /found "EVERYTHING"; expected a Connect scope/],
  ['ADMIN without a reason', (c) => (c.scopes = ['READ', 'ADMIN']), '$.scopes[1]', /a reason for it in scopeReasons.ADMIN/],
  ['no scopes', (c) => (c.scopes = []), '$.scopes', /at least one scope/],
  ['a log retention CloudWatch does not offer', (c) => (c.retention.logDays = 12), '$.retention.logDays', /found 12; expected a CloudWatch Logs retention period/],
  ['a backup retention out of range', (c) => (c.retention.backupDays = 5000), '$.retention.backupDays', /found 5000; expected at most 3650 days/],
  ['a migration window Atlassian does not allow', (c) => (c.migration.maxDurationHours.forge = 48), '$.migration.maxDurationHours.forge', /at most 24 hours/],
  ['no migration allowed at all', (c) => (c.migration.maxConcurrent = 0), '$.migration.maxConcurrent', /at least 1 concurrent migration/],
  ['a number where the app name goes', (c) => (c.app.name = 42), '$.app.name', /found 42; expected the app name as a string/],
  ['an array where realms go', (c) => (c.realms = ['EU']), '$.realms', /found an array of 1 item; expected an object from realm name/],
  ['an app key with spaces', (c) => (c.app.key = 'my app'), '$.app.key', /Atlassian app key/],
  ['a Forge app id that is a URL', (c) => (c.app.forgeAppId = 'https://developer.atlassian.com/console/myapps/x'), '$.app.forgeAppId', /a Forge app id: its UUID, or ari:cloud:ecosystem::app\/<UUID>/],
  ['an unknown top-level key', (c) => (c.colour = 'blue'), '$.colour', /found an unknown key \("blue"\)/],
  ['a secret name given twice', (c) => c.secrets.push({ ...c.secrets[0] }), '$.secrets[1].name', /a secret name not used before/],
  ['no reserved concurrency at all', (c) => (c.functions = { reservedConcurrency: 0 }), '$.functions.reservedConcurrency', /found 0; expected at least 1 concurrent execution \(leave the key out/],
  ['a fraction of a concurrent execution', (c) => (c.functions = { reservedConcurrency: 2.5 }), '$.functions.reservedConcurrency', /found 2.5; expected a whole number of concurrent executions/],
  ['reserved concurrency as a string', (c) => (c.functions = { reservedConcurrency: '20' }), '$.functions.reservedConcurrency', /found "20"; expected a number of concurrent executions/],
  ['an unknown functions setting', (c) => (c.functions = { memory: 512 }), '$.functions.memory', /found an unknown key \(512\)/],
  ['one AZ id', (c) => (c.realms.EU.availabilityZoneIds = ['euc1-az1']), '$.realms.EU.availabilityZoneIds', /found an array of 1 item; expected exactly two AZ ids of eu-central-1, such as \["euc1-az1", "euc1-az2"\]/],
  ['the same AZ id twice', (c) => (c.realms.EU.availabilityZoneIds = ['euc1-az1', 'euc1-az1']), '$.realms.EU.availabilityZoneIds', /expected two distinct AZ ids of eu-central-1/],
  ['an AZ id of another region', (c) => (c.realms.US.availabilityZoneIds = ['use1-az1', 'use2-az2']), '$.realms.US.availabilityZoneIds', /expected AZ ids of us-east-2 \(use2-az<n>\), such as .*; "use1-az1" is not one/],
  ['an AZ name instead of an AZ id', (c) => (c.realms.AU.availabilityZoneIds = ['ap-southeast-2a', 'ap-southeast-2b']), '$.realms.AU.availabilityZoneIds', /expected AZ ids of ap-southeast-2 \(apse2-az<n>\)/],
  ['AZ ids on a realm that shares a stack', (c) => { c.realms.DE = { shareStackWith: 'EU', availabilityZoneIds: ['euc1-az1', 'euc1-az2'] }; }, '$.realms.DE.availabilityZoneIds', /expected no availabilityZoneIds on a realm that shares a stack \(set them on EU/],
  ['an AZ id that is not a string', (c) => (c.realms.EU.availabilityZoneIds = ['euc1-az1', 2]), '$.realms.EU.availabilityZoneIds[1]', /found 2; expected an AZ id as a string/],
  ['a missing app section', (c) => delete c.app, '$.app', /found nothing; expected a value of type object/],
  ['a static folder that does not exist', (c) => (c.app.staticDir = 'no-such-assets'), '$.app.staticDir', /found "no-such-assets", which does not exist \(.*no-such-assets\); expected a folder of static assets, relative to the config file/],
  ['a static folder that is a file', (c) => (c.app.staticDir = 'package.json'), '$.app.staticDir', /found "package.json", which is a file \(.*package.json\); expected a folder of static assets/],
  ['a static folder that is not a string', (c) => (c.app.staticDir = ['public']), '$.app.staticDir', /found an array of 1 item; expected a folder path as a string, relative to the config file/],
  ['an empty static folder path', (c) => (c.app.staticDir = ''), '$.app.staticDir', /found ""; expected a non-empty folder path/],
];

describe('a bad config', () => {
  it.each(cases)('is refused for %s', (_name, mutate, path, message) => {
    const problems = problemsOf(mutate);
    const hit = problems.find((p) => p.path === path);
    expect(hit).toBeDefined();
    expect(`found ${hit!.found}; expected ${hit!.expected}`).toMatch(message);
  });

  it('reports every problem at once, each with path, found and expected', () => {
    const problems = problemsOf((c) => {
      c.realms.EU.region = 'eu-west-2';
      c.scopes = ['FOO'];
      c.retention.logDays = 2;
      c.app.name = 1;
    });
    expect(problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(['$.realms.EU.region', '$.scopes[0]', '$.retention.logDays', '$.app.name']),
    );
  });

  it('prints one line per problem in the error message', () => {
    const c = exampleConfigJson();
    c.realms.EU.region = 'eu-west-2';
    c.scopes = ['FOO'];
    expect(() => parseConfig(c, 'my.json')).toThrow(
      /^my\.json: 2 problems in the residency config\n {2}\$\.realms\.EU\.region: found "eu-west-2"; expected .*\n {2}\$\.scopes\[0\]: found "FOO"; expected /,
    );
  });
});

describe('a bad config file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'residency-config-'));

  it('is refused when it is not JSON', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{ "app": ');
    expect(() => loadConfig(file)).toThrow(ConfigError);
    expect(() => loadConfig(file)).toThrow(/\$: found text that is not JSON \(.+\); expected a JSON object/);
  });

  it('is refused when app.staticDir is not found beside the config file, even though it exists in the working directory', () => {
    const file = join(dir, 'static.json');
    writeFileSync(file, JSON.stringify({ ...exampleConfigJson(), app: { ...exampleConfigJson().app, staticDir: 'test' } }));
    expect(() => loadConfig(file)).toThrow(/static\.json: 1 problem .*\n {2}\$\.app\.staticDir: found "test", which does not exist \(.*residency-config-.*test\); expected a folder/);
  });

  it('reports a missing static folder beside the schema problems', () => {
    const problems = problemsOf((c) => {
      c.app.staticDir = 'no-such-assets';
      c.scopes = ['FOO'];
    });
    expect(problems.map((p) => p.path).sort()).toEqual(['$.app.staticDir', '$.scopes[0]']);
  });

  it('is refused when it is missing', () => {
    expect(() => loadConfig(join(dir, 'nope.json'))).toThrow(/nope\.json: 1 problem .*\n {2}\$: found no such file; expected a readable residency config JSON file/);
  });
});

describe('a malformed domain', () => {
  it('gets one line, not a second one about the hosted zone', () => {
    const problems = problemsOf((c) => (c.domain.name = 'App.Example.com'));
    expect(problems.filter((p) => p.path === '$.domain.name')).toHaveLength(1);
  });
});
