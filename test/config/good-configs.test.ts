import { loadConfig, parseConfig } from '../../lib/config';
import { EXAMPLE_CONFIG_PATH, exampleConfigJson } from '../helpers/example-config';

describe('the example config', () => {
  const config = loadConfig(EXAMPLE_CONFIG_PATH);

  it('plans one stack per realm, each in its configured or primary region', () => {
    expect(config.stacks.map((s) => [s.owner, s.region])).toEqual([
      ['Global', 'us-east-1'],
      ['US', 'us-east-2'],
      ['EU', 'eu-central-1'],
      ['DE', 'eu-central-1'],
      ['AU', 'ap-southeast-2'],
    ]);
  });

  it('derives base URLs from the domain and a stack prefix from the app key', () => {
    expect(config.globalBaseUrl).toBe('https://app.example.com');
    expect(config.realms.find((r) => r.name === 'EU')!.baseUrl).toBe('https://eu.app.example.com');
    expect(config.stackPrefix).toBe('ResidencyDemo');
  });
});

describe('a valid config', () => {
  it('lets DE share the EU stack when that stack is in Frankfurt', () => {
    const c = exampleConfigJson();
    c.realms.DE = { shareStackWith: 'EU' };
    const config = parseConfig(c);
    const eu = config.stacks.find((s) => s.owner === 'EU')!;
    expect(eu.realms).toEqual(['EU', 'DE']);
    expect(config.stacks.some((s) => s.owner === 'DE')).toBe(false);
    expect(config.realms.find((r) => r.name === 'DE')).toMatchObject({ region: 'eu-central-1', stackRealm: 'EU' });
  });

  it('accepts ADMIN when the config says why', () => {
    const c = exampleConfigJson();
    c.scopes = ['READ', 'ADMIN'];
    c.scopeReasons = { ADMIN: 'Manages project permission schemes on behalf of the admin' };
    expect(parseConfig(c).scopes).toEqual(['READ', 'ADMIN']);
  });

  it('fills in defaults for retention, secrets and migration', () => {
    const c = exampleConfigJson();
    delete c.retention;
    delete c.secrets;
    delete c.migration;
    expect(parseConfig(c)).toMatchObject({ retention: { logDays: 365, backupDays: 35 }, secrets: [], migration: { maxDurationHours: { connect: 2, forge: 1.5 }, maxConcurrent: 5 } });
  });
});
