import { KmsKeySource } from '../../../runtime/crypto';
import { InMemoryDirectory } from '../../../runtime/directory/in-memory-directory';
import { ENV } from '../../../runtime/lambda/environment';
import { migrationEngineFromEnvironment, realmStoresFromSettings } from '../../../runtime/lambda/realm-stores';
import { readSettings } from '../../../runtime/lambda/settings';
import { MigrationEngine, S3ObjectStore } from '../../../runtime/migration';

const REALMS = {
  Global: { region: 'us-east-1', stackRealm: 'Global', tableName: 'global-tenants', keyArn: 'arn:aws:kms:us-east-1:111111111111:key/g' },
  EU: { region: 'eu-central-1', stackRealm: 'EU', tableName: 'eu-tenants', keyArn: 'arn:aws:kms:eu-central-1:111111111111:key/e', bucketName: 'eu-data' },
  DE: { region: 'eu-central-1', stackRealm: 'EU', tableName: 'eu-tenants', keyArn: 'arn:aws:kms:eu-central-1:111111111111:key/e', bucketName: 'eu-data' },
};
const env = (overrides: Record<string, string> = {}) => ({
  [ENV.appKey]: 'com.example.app',
  [ENV.realm]: 'Global',
  [ENV.migrationRealms]: JSON.stringify(REALMS),
  [ENV.migrationMaxConcurrent]: '5',
  ...overrides,
});

describe('migration settings from the environment', () => {
  it('reads the realms and the concurrency limit', () => {
    expect(readSettings(['migrationRealms', 'migrationMaxConcurrent'], env())).toEqual({ migrationRealms: REALMS, migrationMaxConcurrent: 5 });
  });

  it.each([
    ['not JSON', '{', `${ENV.migrationRealms} is not a JSON object from realm name to realm settings`],
    ['an empty object', '{}', `${ENV.migrationRealms} is not a JSON object from realm name to realm settings`],
    ['a realm without its table and key', '{"EU":{"region":"eu-central-1","stackRealm":"EU"}}', `${ENV.migrationRealms} has realm EU without tableName, keyArn`],
    ['a realm with an empty bucket name', JSON.stringify({ EU: { ...REALMS.EU, bucketName: '' } }), `${ENV.migrationRealms} has realm EU with an empty bucketName`],
  ])('names the problem when the realms are %s', (_what, value, problem) => {
    expect(() => readSettings(['migrationRealms'], env({ [ENV.migrationRealms]: value }))).toThrow(`cdk-residency runtime settings: ${problem}`);
  });

  it('refuses a concurrency limit that is not a whole number >= 1', () => {
    expect(() => readSettings(['migrationMaxConcurrent'], env({ [ENV.migrationMaxConcurrent]: '0' }))).toThrow(
      `${ENV.migrationMaxConcurrent} is not a whole number of migrations >= 1`,
    );
  });
});

describe('realmStoresFromSettings', () => {
  it("reaches every realm in its own region, with its bucket when it has one", async () => {
    const stores = realmStoresFromSettings(REALMS);
    expect(Object.keys(stores)).toEqual(['Global', 'EU', 'DE']);
    expect(await stores.Global!.client.config.region()).toBe('us-east-1');
    expect(await stores.EU!.client.config.region()).toBe('eu-central-1');
    expect(stores.EU!.client).toBe(stores.DE!.client); // one client per region
    expect(stores.EU!.keySource).toBeInstanceOf(KmsKeySource);
    expect(stores.EU!.objects).toBeInstanceOf(S3ObjectStore);
    expect(stores.Global!.objects).toBeUndefined();
    expect(stores.DE).toMatchObject({ stackRealm: 'EU', tableName: 'eu-tenants' });
  });
});

describe('migrationEngineFromEnvironment', () => {
  it('builds the engine of the function realm', () => {
    expect(migrationEngineFromEnvironment(new InMemoryDirectory(), env())).toBeInstanceOf(MigrationEngine);
  });

  it('refuses realms that leave out the function realm, or missing settings, naming them', () => {
    expect(() => migrationEngineFromEnvironment(new InMemoryDirectory(), env({ [ENV.realm]: 'AU' }))).toThrow(`${ENV.migrationRealms} has no entry for this realm (AU)`);
    expect(() => migrationEngineFromEnvironment(new InMemoryDirectory(), { [ENV.realm]: 'EU' })).toThrow(
      `cdk-residency runtime settings: ${ENV.appKey} is not set; ${ENV.migrationRealms} is not set; ${ENV.migrationMaxConcurrent} is not set`,
    );
  });
});
