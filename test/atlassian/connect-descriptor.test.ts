import { connectDescriptor } from '../../lib/atlassian/connect-descriptor';
import { forgeRemotes } from '../../lib/atlassian/forge-remotes';
import { ConfigError, loadConfig } from '../../lib/config';
import { loadAppEntry } from '../../constructs/app-entry';
import { defineApp, routeSpecs } from '../../runtime/app';
import { MIGRATION_HOOK_PATH } from '../../runtime/app/routes';
import notes from '../../examples/notes/app';
import vendor from '../fixtures/vendor-app/app';
import { EXAMPLE_CONFIG_PATH } from '../helpers/example-config';
import { allRealmsConfig, exampleWith, globalOnlyConfig } from './realm-configs';

const config = loadConfig(EXAMPLE_CONFIG_PATH);
const APP_ROUTES = routeSpecs(notes);

describe('the Connect descriptor', () => {
  const d = connectDescriptor(config, notes);

  it('serves Global from the global base URL and every other realm from its regional host', () => {
    expect(d.baseUrl).toBe('https://app.example.com');
    expect(d.regionBaseUrls).toEqual({
      US: 'https://us.app.example.com',
      EU: 'https://eu.app.example.com',
      DE: 'https://de.app.example.com',
      AU: 'https://au.app.example.com',
    });
  });

  it('turns on signed install, context-qsh and gdpr, with JWT authentication', () => {
    expect(d.authentication).toEqual({ type: 'jwt' });
    expect(d.apiMigrations).toEqual({ 'signed-install': true, 'context-qsh': true, gdpr: true });
  });

  it('asks for exactly the configured scopes', () => {
    expect(d.scopes).toEqual(['READ', 'WRITE']);
  });

  it('takes every lifecycle path from the route table', () => {
    const lifecyclePaths = APP_ROUTES.filter((r) => r.path.startsWith('/lifecycle/')).map((r) => r.path);
    const { 'dare-migration': _migration, ...hooks } = d.lifecycle;
    expect(Object.values(hooks).sort()).toEqual(lifecyclePaths.sort());
    expect(Object.keys(hooks).sort()).toEqual(['disabled', 'enabled', 'installed', 'uninstalled']);
    expect(d.lifecycle['installed']).toBe('/lifecycle/installed');
  });

  it('declares the data residency migration hook and the configured migration window', () => {
    expect(d.lifecycle['dare-migration']).toBe(MIGRATION_HOOK_PATH);
    expect(d.dataResidency).toEqual({ maxMigrationDurationHours: 4 });
    expect(connectDescriptor(exampleWith((c) => (c.migration.maxDurationHours.connect = 24)), notes).dataResidency).toEqual({ maxMigrationDurationHours: 24 });
    expect(connectDescriptor(exampleWith((c) => (c.migration.maxDurationHours.connect = 0.5)), notes).dataResidency).toEqual({ maxMigrationDurationHours: 0.5 });
  });

  it('serves every migration hook Atlassian appends to dare-migration', () => {
    for (const hook of ['schedule', 'start', 'status', 'commit', 'rollback']) {
      expect(APP_ROUTES.some((r) => r.path === `${MIGRATION_HOOK_PATH}/${hook}`)).toBe(true);
    }
  });

  it("lists the hosted app's own Connect modules, for the example and for another app", () => {
    expect(d.modules).toEqual(notes.connect.modules);
    expect(connectDescriptor(config, vendor).modules).toEqual({
      generalPages: [{ key: 'board', name: { value: 'Board' }, url: '/pages/board' }],
      webhooks: [{ event: 'comment_created', url: '/webhooks/comment' }],
    });
    expect(connectDescriptor(config, defineApp({ routes: [] })).modules).toEqual({});
  });

  it("is built from the config's app.entry (the example in the embedded config)", () => {
    expect(config.app.entry).toMatch(/examples\/notes\/app\.ts$/);
    expect(loadAppEntry(config.app.entry)).toBe(notes);
  });

  it('points its page module at a declared GET route', () => {
    const pages = d.modules['generalPages'] as { url: string }[];
    for (const p of pages) expect(APP_ROUTES.some((r) => r.method === 'GET' && r.path === p.url)).toBe(true);
  });

  it('serves everything from one base URL in dev mode, with no realm to migrate to', () => {
    const dev = connectDescriptor(config, notes, { baseUrlOverride: 'http://127.0.0.1:3000' });
    expect(dev.baseUrl).toBe('http://127.0.0.1:3000');
    expect(dev.regionBaseUrls).toBeUndefined();
    expect(dev.lifecycle['dare-migration']).toBeUndefined();
    expect(dev.dataResidency).toBeUndefined();
  });

  it('lists all eleven pinned realms when every realm is configured', () => {
    const all = connectDescriptor(allRealmsConfig(), notes);
    expect(Object.keys(all.regionBaseUrls ?? {})).toEqual(['US', 'EU', 'DE', 'AU', 'SG', 'CA', 'IN', 'KR', 'JP', 'GB', 'CH']);
    expect(all.regionBaseUrls?.['CH']).toBe('https://ch.app.example.com');
  });

  it('declares neither regional URLs nor a migration hook when the config has Global alone', () => {
    const only = connectDescriptor(globalOnlyConfig(), notes);
    expect(only.baseUrl).toBe('https://app.example.com');
    expect(only.regionBaseUrls).toBeUndefined();
    expect(only.lifecycle['dare-migration']).toBeUndefined();
    expect(only.dataResidency).toBeUndefined();
  });
});

describe('scopes in the descriptor', () => {
  it.each(['ADMIN', 'ACT_AS_USER'])('refuses %s without a reason, naming the scope and where the reason goes', (scope) => {
    expect(() => exampleWith((c) => (c.scopes = ['READ', scope]))).toThrow(ConfigError);
    expect(() => exampleWith((c) => (c.scopes = ['READ', scope]))).toThrow(
      new RegExp(`\\$\\.scopes\\[1\\]: found "${scope}"; expected a scope below ${scope}, or a reason for it in scopeReasons\\.${scope}`),
    );
  });

  it('refuses a reason too short for a customer to judge', () => {
    expect(() => exampleWith((c) => ((c.scopes = ['ADMIN']), (c.scopeReasons = { ADMIN: 'needed' })))).toThrow(
      /\$\.scopeReasons\.ADMIN: found "needed"; expected a reason of at least 20 characters/,
    );
  });

  it('asks for ADMIN and ACT_AS_USER once the config says why', () => {
    const c = exampleWith((j) => {
      j.scopes = ['READ', 'ADMIN', 'ACT_AS_USER'];
      j.scopeReasons = { ADMIN: 'Manages project permission schemes for the admin', ACT_AS_USER: 'Posts comments as the user who asked for them' };
    });
    expect(connectDescriptor(c, notes).scopes).toEqual(['READ', 'ADMIN', 'ACT_AS_USER']);
  });
});

describe('the migration window in the config', () => {
  it.each([
    ['connect', 0.25, /\$\.migration\.maxDurationHours\.connect: found 0.25; expected at least 0.5 hours/],
    ['forge', 25, /\$\.migration\.maxDurationHours\.forge: found 25; expected at most 24 hours/],
    ['forge', 4.2, /\$\.migration\.maxDurationHours\.forge: found 4.2; expected a whole number of half hours/],
    ['connect', '4', /\$\.migration\.maxDurationHours\.connect: found "4"; expected a number of hours/],
  ])('refuses a %s window of %p', (kind, hours, message) => {
    expect(() => exampleWith((c) => (c.migration.maxDurationHours[kind] = hours))).toThrow(message);
  });

  it('refuses one number for both windows, naming the object it expects', () => {
    expect(() => exampleWith((c) => (c.migration.maxDurationHours = 4))).toThrow(/\$\.migration\.maxDurationHours: found 4; expected an object \{ "connect": hours, "forge": hours \} \(defaults 2 and 1\.5/);
  });

  it("gives Connect and Forge each Atlassian's own default: 2 hours in the descriptor, 1.5 in the manifest fragment", () => {
    const c = exampleWith((j) => delete j.migration);
    expect(c.migration.maxDurationHours).toEqual({ connect: 2, forge: 1.5 });
    expect(connectDescriptor(c, notes).dataResidency).toEqual({ maxMigrationDurationHours: 2 });
    expect(forgeRemotes(c).modules['migration:dataResidency']![0]!.maxMigrationDurationHours).toBe(1.5);
    const forgeOnly = exampleWith((j) => (j.migration.maxDurationHours = { forge: 6 }));
    expect([connectDescriptor(forgeOnly, notes).dataResidency, forgeRemotes(forgeOnly).modules['migration:dataResidency']![0]!.maxMigrationDurationHours]).toEqual([{ maxMigrationDurationHours: 2 }, 6]);
  });
});
