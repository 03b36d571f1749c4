import { ConfigError, REALM_NAMES, loadConfig } from '../../lib/config';
import { FORGE_REMOTE_KEY_MAX_LENGTH, ForgeRemotes, forgeRemoteKey, forgeRemotes } from '../../lib/atlassian';
import { FORGE_APP_ROUTES, FORGE_LIFECYCLE_MODULE_KEY, FORGE_LIFECYCLE_PATH, FORGE_MIGRATION_HOOK_PATH } from '../../runtime/app/routes';
import { routeSpecs } from '../../runtime/app/define-app';
import { FORGE_LIFECYCLE_EVENTS } from '../../runtime/lifecycle/forge-lifecycle';
import tasks from '../../examples/forge-tasks/app';
import { EXAMPLE_CONFIG_PATH } from '../helpers/example-config';
import { FORGE_SCHEMA, forgeLint, fragmentValidator } from './forge-validation';
import { allRealmsConfig, exampleWith, globalOnlyConfig } from './realm-configs';

const example = loadConfig(EXAMPLE_CONFIG_PATH);
const schemaErrors = fragmentValidator();

/** Forge's rule: every remote that stores in-scope data declares the same set of realms. */
function realmSetsOfStoringRemotes(f: ForgeRemotes): string[] {
  return f.remotes.filter((r) => r.operations.includes('storage') && r.storage.inScopeEUD).map((r) => Object.keys(r.baseUrl).sort().join(','));
}

describe('the Forge remotes fragment', () => {
  const f = forgeRemotes(example);

  it('maps default to the Global URL and every other configured realm to its regional URL', () => {
    expect(f.remotes).toHaveLength(1);
    expect(f.remotes[0]!.baseUrl).toEqual({
      default: 'https://app.example.com',
      US: 'https://us.app.example.com',
      EU: 'https://eu.app.example.com',
      DE: 'https://de.app.example.com',
      AU: 'https://au.app.example.com',
    });
  });

  it('declares storage of in-scope end-user data and compute, not fetch', () => {
    expect(f.remotes[0]).toMatchObject({ operations: ['storage', 'compute'], storage: { inScopeEUD: true } });
  });

  it('points the one migration:dataResidency module at its remote, the hook path and the configured window', () => {
    expect(f.modules['migration:dataResidency']).toEqual([
      { key: 'dare-migration', remote: 'residency-demo', path: FORGE_MIGRATION_HOOK_PATH, maxMigrationDurationHours: 1.5 },
    ]);
  });

  it('points the module at a path the remote serves with Forge Invocation Tokens, each hook Atlassian appends', () => {
    for (const hook of ['schedule', 'start', 'status', 'commit', 'rollback']) {
      expect(FORGE_APP_ROUTES.some((r) => r.path === `${FORGE_MIGRATION_HOOK_PATH}/${hook}` && r.auth === 'forge')).toBe(true);
    }
  });

  it('passes the remotes and migration:dataResidency sub-schemas shipped in @forge/manifest', () => {
    expect(schemaErrors(f)).toEqual([]);
  });

  it("passes Forge's own manifest linter, including its region-consistency rule", async () => {
    expect(await forgeLint(f)).toEqual([]);
  });

  it('has every remote that stores in-scope data declare the same realms', () => {
    expect(new Set(realmSetsOfStoringRemotes(f)).size).toBe(1);
  });

  it('carries the configured migration window', () => {
    const f2 = forgeRemotes(exampleWith((c) => (c.migration.maxDurationHours.forge = 0.5)));
    expect(f2.modules['migration:dataResidency']![0]!.maxMigrationDurationHours).toBe(0.5);
    expect(schemaErrors(f2)).toEqual([]);
  });
});

describe('the validators used above', () => {
  const f = forgeRemotes(example);

  it('refuse a fragment that breaks the schema (remote key too long, window not in half hours)', () => {
    const bad = {
      remotes: [{ ...f.remotes[0]!, key: 'x'.repeat(24) }],
      modules: { 'migration:dataResidency': [{ ...f.modules['migration:dataResidency']![0]!, maxMigrationDurationHours: 4.2 }] },
    };
    expect(schemaErrors(bad)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^\/remotes\/0\/key must NOT have more than 23/), expect.stringMatching(/maxMigrationDurationHours must be multiple of 0.5/)]),
    );
  });

  it('refuse a realm key Forge does not know (Global is spelled default)', () => {
    const bad = { ...f, remotes: [{ ...f.remotes[0]!, baseUrl: { ...f.remotes[0]!.baseUrl, Global: 'https://app.example.com' } }] };
    expect(schemaErrors(bad).length).toBeGreaterThan(0);
  });

  it('refuse a second storing remote that declares fewer realms', async () => {
    const partial = { key: 'reports', baseUrl: { default: 'https://reports.example.com' }, operations: ['storage'], storage: { inScopeEUD: true } };
    const bad = { ...f, remotes: [...f.remotes, partial] } as ForgeRemotes;
    expect(new Set(realmSetsOfStoringRemotes(bad)).size).toBe(2);
    expect(await forgeLint(bad)).toEqual([expect.stringMatching(/All region specific URLs are not declared for reports/)]);
  });
});

describe('the Forge fragment for other realm sets', () => {
  it('uses exactly the realm keys of the Forge schema, with every realm configured', async () => {
    const forgeKeys: string[] = FORGE_SCHEMA.definitions.RemotesSchema.items.properties.baseUrl.oneOf[1].propertyNames.enum;
    expect([...forgeKeys].sort()).toEqual(['default', ...REALM_NAMES.filter((n) => n !== 'Global')].sort());
    const f = forgeRemotes(allRealmsConfig());
    expect(Object.keys(f.remotes[0]!.baseUrl).sort()).toEqual([...forgeKeys].sort());
    expect(schemaErrors(f)).toEqual([]);
    expect(await forgeLint(f)).toEqual([]);
  });

  it('declares only default and no migration module when the config has Global alone', async () => {
    const f = forgeRemotes(globalOnlyConfig());
    expect(f.remotes[0]!.baseUrl).toEqual({ default: 'https://app.example.com' });
    expect(f.modules['migration:dataResidency']).toBeUndefined();
    expect(Object.keys(f.modules)).toEqual(['endpoint', 'trigger']);
    expect(schemaErrors(f)).toEqual([]);
    expect(await forgeLint(f)).toEqual([]);
  });
});

describe('the Forge remote key', () => {
  it('is the last segment of the app key', () => {
    expect(forgeRemoteKey('com.example.residency-demo')).toBe('residency-demo');
    expect(forgeRemoteKey('notes_app')).toBe('notes_app');
    expect(forgeRemoteKey('com.example.notes.')).toBe('notes');
  });

  it('is cut to the 23 characters Forge allows', () => {
    const key = forgeRemoteKey('com.example.residency-demo-for-enterprise-customers');
    expect(key).toBe('residency-demo-for-ente');
    expect(key).toHaveLength(FORGE_REMOTE_KEY_MAX_LENGTH);
  });

  it('is refused, naming $.app.key, when the app key has no segment to derive it from', () => {
    // The config schema already refuses such a key; this guards direct callers.
    expect(() => forgeRemoteKey('...')).toThrow(ConfigError);
    expect(() => forgeRemoteKey('...')).toThrow(/\$\.app\.key: found "\.\.\."; expected an app key whose last dot-separated segment/);
  });
});

describe('the Forge manifest fragment of an app with Forge routes', () => {
  // examples/forge-tasks: two routes asking for the user's token.
  const routes = routeSpecs(tasks, { forgeRemote: true });
  const f = forgeRemotes(example, { routes, connectOnForge: true });

  it('declares the lifecycle endpoint and trigger the runtime serves, with the events it handles', () => {
    expect(f.modules.endpoint[0]).toEqual({ key: 'residency-demo-lifecycle', remote: 'residency-demo', route: { path: FORGE_LIFECYCLE_PATH } });
    expect(f.modules.trigger).toEqual([{ key: FORGE_LIFECYCLE_MODULE_KEY, endpoint: 'residency-demo-lifecycle', events: [...FORGE_LIFECYCLE_EVENTS] }]);
    expect(FORGE_APP_ROUTES.find((r) => r.path === FORGE_LIFECYCLE_PATH)?.forgeModules).toEqual([f.modules.trigger[0]!.key]);
    expect(f.modules['migration:dataResidency']![0]!.key).toBe(FORGE_APP_ROUTES.find((r) => r.path === `${FORGE_MIGRATION_HOOK_PATH}/start`)?.forgeModules?.[0]);
  });

  it('adds one endpoint per token set the app routes ask for, with auth as the manifest spells it', () => {
    expect(f.modules.endpoint.slice(1)).toEqual([{ key: 'residency-demo-api-user', remote: 'residency-demo', route: { path: '/' }, auth: { appUserToken: { enabled: true } } }]);
    expect(forgeRemotes(example).modules.endpoint).toHaveLength(1);
  });

  it('lets Forge fetch from the remote and keeps a Connect-on-Forge installation on it', () => {
    expect(f.permissions).toEqual({ external: { fetch: { backend: [{ remote: 'residency-demo' }] } } });
    expect(f.app).toEqual({ connect: { remote: 'residency-demo' } });
    expect(forgeRemotes(example).app).toBeUndefined();
  });

  it("passes @forge/manifest's sub-schemas and its linter", async () => {
    // app.connect.remote is merged into the app's existing app.connect, which holds its key.
    expect(schemaErrors({ ...f, app: { connect: { key: 'com.example.residency-demo', ...f.app!.connect } } })).toEqual([]);
    const { app: _app, ...rest } = f;
    // Forge wants scopes once an endpoint asks for OAuth tokens: the vendor's own manifest holds them.
    expect(await forgeLint(rest, ['read:jira-work'])).toEqual([]);
    expect((await forgeLint(rest)).join('\n')).toMatch(/Missing app scopes/);
  });

  it('fails the schema when an endpoint asks for tokens in a form Forge does not know', () => {
    const bad = { ...f, modules: { ...f.modules, endpoint: [{ key: 'x', remote: 'residency-demo', auth: { appUserToken: true } }] } };
    expect(schemaErrors(bad).join('\n')).toMatch(/endpoint/);
  });
});
