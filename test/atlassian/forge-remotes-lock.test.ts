import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkForgeRemotesLock, FORGE_REMOTES_LOCK_FILE, forgeRemotes, forgeRemotesLockChanges, forgeRemotesLockPath, lockOf,
} from '../../lib/atlassian';
import { ConfigError, loadConfig } from '../../lib/config';
import { appStderrLines } from '../helpers/app-until';
import { NO_BUNDLING } from '../helpers/example-app';
import { EXAMPLE_CONFIG_PATH, exampleConfigJson } from '../helpers/example-config';
import { exampleWith } from './realm-configs';

const freshDir = () => mkdtempSync(join(tmpdir(), 'residency-forge-lock-'));
const lockIn = (dir: string) => join(dir, FORGE_REMOTES_LOCK_FILE);
const example = exampleWith(() => undefined);

describe('forgeRemotesLockChanges', () => {
  const locked = lockOf(forgeRemotes(example));

  it('names realms added and removed and base URLs changed', () => {
    const moved = exampleWith((c) => {
      delete c.realms.AU;
      c.realms.SG = {};
      c.realms.EU.hostname = 'eu2.app.example.com';
    });
    expect(forgeRemotesLockChanges(locked, lockOf(forgeRemotes(moved)))).toEqual([
      'realm SG added',
      'realm AU removed',
      'EU URL https://eu.app.example.com -> https://eu2.app.example.com',
    ]);
  });

  it('names a new Global URL and a renamed remote', () => {
    const renamed = exampleWith((c) => {
      c.app.key = 'com.example.other-demo';
      c.domain.name = 'apps.example.com';
    });
    expect(forgeRemotesLockChanges(locked, lockOf(forgeRemotes(renamed)))).toEqual(['remote residency-demo removed', 'remote other-demo added']);
    const global = exampleWith((c) => (c.domain.name = 'apps.example.com'));
    expect(forgeRemotesLockChanges(locked, lockOf(forgeRemotes(global)))).toContain('default (Global) URL https://app.example.com -> https://apps.example.com');
  });

  it('finds nothing when only the order of the realms differs', () => {
    const reordered = { remotes: { 'residency-demo': Object.fromEntries(Object.entries(locked.remotes['residency-demo']!).reverse()) } };
    expect(forgeRemotesLockChanges(reordered, locked)).toEqual([]);
  });
});

describe('checkForgeRemotesLock', () => {
  it('records the remotes when there is no lock file, then finds them unchanged', () => {
    const dir = freshDir();
    expect(checkForgeRemotesLock(example, lockIn(dir))).toMatchObject({ status: 'created', message: expect.stringMatching(/recorded the Forge remotes' realms and URLs; commit it/) });
    expect(JSON.parse(readFileSync(lockIn(dir), 'utf8'))).toEqual(lockOf(forgeRemotes(example)));
    expect(checkForgeRemotesLock(example, lockIn(dir))).toEqual({ status: 'unchanged', changes: [] });
  });

  it('warns in one line naming the change and leaves the lock file as it was; accept rewrites it', () => {
    const dir = freshDir();
    checkForgeRemotesLock(example, lockIn(dir));
    const before = readFileSync(lockIn(dir), 'utf8');
    const withSg = exampleWith((c) => (c.realms.SG = {}));
    const warned = checkForgeRemotesLock(withSg, lockIn(dir));
    expect(warned.status).toBe('changed');
    expect(warned.message).toMatch(/^Warning: .*forge-remotes\.lock\.json: the Forge remotes changed \(realm SG added\), a major Forge version .* npx cdk synth -c acceptForgeRemotes=true/);
    expect(warned.message).not.toContain('\n');
    expect(readFileSync(lockIn(dir), 'utf8')).toBe(before);
    expect(checkForgeRemotesLock(withSg, lockIn(dir), { accept: true })).toMatchObject({ status: 'accepted', changes: ['realm SG added'] });
    expect(JSON.parse(readFileSync(lockIn(dir), 'utf8'))).toEqual(lockOf(forgeRemotes(withSg)));
    expect(checkForgeRemotesLock(withSg, lockIn(dir)).status).toBe('unchanged');
  });

  it('leaves a Connect-only app (no app.forgeAppId) without a lock file', () => {
    const dir = freshDir();
    expect(checkForgeRemotesLock(exampleWith((c) => delete c.app.forgeAppId), lockIn(dir)).status).toBe('not-forge');
    expect(existsSync(lockIn(dir))).toBe(false);
  });

  it.each([
    ['no JSON', '{"remotes":', /not a Forge remotes lock file: found no JSON/],
    ['an array of remotes', '{"remotes":[]}', /not a Forge remotes lock file: found an object/],
    ['a URL that is a number', '{"remotes":{"residency-demo":{"default":7}}}', /not a Forge remotes lock file/],
  ])('refuses a lock file holding %s in one line, saying how to recover', (_what, text, message) => {
    const dir = freshDir();
    writeFileSync(lockIn(dir), text);
    let error: unknown;
    try {
      checkForgeRemotesLock(example, lockIn(dir));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toMatch(/\(delete it to record the current remotes\)$/);
    expect((error as Error).message).not.toContain('\n');
    expect(readFileSync(lockIn(dir), 'utf8')).toBe(text);
  });

  it('is committed for the example config, and matches it', () => {
    expect(checkForgeRemotesLock(loadConfig(EXAMPLE_CONFIG_PATH), forgeRemotesLockPath(EXAMPLE_CONFIG_PATH))).toEqual({ status: 'unchanged', changes: [] });
  });
});

describe('the CDK app entry (as npx cdk synth runs it) with a lock file', () => {
  /** Runs bin/app.ts on a config with `context`, as `npx cdk synth -c ...` does, without bundling, until it prints its lock-file line. */
  async function synth(config: object, dir: string, context: Record<string, unknown> = {}) {
    const file = join(dir, 'residency.config.json');
    writeFileSync(file, JSON.stringify(config));
    return { warnings: await appStderrLines({ ...NO_BUNDLING, config: file, ...context }, (l) => l.includes(FORGE_REMOTES_LOCK_FILE), 1, { CDK_OUTDIR: join(dir, 'out') }) };
  }

  it('warns about an added realm, naming it, and rewrites the lock only with -c acceptForgeRemotes=true', async () => {
    const dir = freshDir();
    checkForgeRemotesLock(example, lockIn(dir));
    const json = exampleConfigJson();
    json.realms.CA = {};
    const warned = await synth(json, dir);
    expect(warned).toEqual({ warnings: [expect.stringMatching(/^Warning: .*the Forge remotes changed \(realm CA added\)/)] });
    expect(Object.keys(JSON.parse(readFileSync(lockIn(dir), 'utf8')).remotes['residency-demo'])).not.toContain('CA');
    const accepted = await synth(json, dir, { acceptForgeRemotes: 'true' });
    expect(accepted).toEqual({ warnings: [expect.stringMatching(/accepted realm CA added; commit it/)] });
    expect(Object.keys(JSON.parse(readFileSync(lockIn(dir), 'utf8')).remotes['residency-demo'])).toContain('CA');
  });
});
