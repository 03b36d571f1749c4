import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ResidencyConfig } from '../config/load';
import { ConfigError, describe } from '../config/problems';
import { ForgeRemotes, forgeRemotes } from './forge-remotes';

/** The lock file's name, next to the residency config: the vendor commits it. */
export const FORGE_REMOTES_LOCK_FILE = 'forge-remotes.lock.json';

/** The CDK context key that accepts a changed remote and rewrites the lock file (`npx cdk synth -c acceptForgeRemotes=true`). */
export const ACCEPT_FORGE_REMOTES_CONTEXT = 'acceptForgeRemotes';

/** What the lock file records: each Forge remote's `baseUrl` map (its keys are the realm set). */
export interface ForgeRemotesLock {
  readonly remotes: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** What {@link checkForgeRemotesLock} did. */
export interface ForgeRemotesLockCheck {
  /** `created` (there was none), `unchanged`, `changed` (left as it was: the warning says what), `accepted` (rewritten), `not-forge` (no `app.forgeAppId`: nothing checked). */
  readonly status: 'created' | 'unchanged' | 'changed' | 'accepted' | 'not-forge';
  /** The differences from the lock file, one phrase each (`realm SG added`). */
  readonly changes: readonly string[];
  /** One line for the synth output; absent when unchanged. */
  readonly message?: string;
}

/** The lock file of the config at `configPath`: `forge-remotes.lock.json` in the config's directory. */
export function forgeRemotesLockPath(configPath: string): string {
  return join(dirname(configPath), FORGE_REMOTES_LOCK_FILE);
}

/** The lock a fragment's remotes amount to. */
export function lockOf(fragment: Pick<ForgeRemotes, 'remotes'>): ForgeRemotesLock {
  return { remotes: Object.fromEntries(fragment.remotes.map((r) => [r.key, { ...r.baseUrl } as Record<string, string>])) };
}

const realmName = (key: string) => (key === 'default' ? 'default (Global)' : key);

/**
 * What differs between the recorded and the current remotes, naming each change: a remote
 * or realm added or removed, a base URL changed. For Forge each is a major version of the
 * app (admins must consent before it reaches their site). Empty when they are the same.
 */
export function forgeRemotesLockChanges(locked: ForgeRemotesLock, current: ForgeRemotesLock): string[] {
  const changes: string[] = [];
  for (const key of Object.keys(locked.remotes)) if (!(key in current.remotes)) changes.push(`remote ${key} removed`);
  for (const [key, urls] of Object.entries(current.remotes)) {
    const before = locked.remotes[key];
    if (!before) {
      changes.push(`remote ${key} added`);
      continue;
    }
    const added = Object.keys(urls).filter((r) => !(r in before));
    const removed = Object.keys(before).filter((r) => !(r in urls));
    if (added.length > 0) changes.push(`realm${added.length > 1 ? 's' : ''} ${added.map(realmName).join(', ')} added`);
    if (removed.length > 0) changes.push(`realm${removed.length > 1 ? 's' : ''} ${removed.map(realmName).join(', ')} removed`);
    for (const [realm, url] of Object.entries(urls)) {
      if (realm in before && before[realm] !== url) changes.push(`${realmName(realm)} URL ${before[realm]} -> ${url}`);
    }
  }
  return changes;
}

/**
 * Compares the config's Forge remotes with the lock file at `lockPath`. Without a lock file
 * it writes one (commit it). With one that differs it leaves the file as it is and returns a
 * one-line warning naming each change, unless `accept` is set, which rewrites it. Only apps
 * registered on Forge (`app.forgeAppId`) are checked: for a Connect-only app nothing is done.
 * @throws ConfigError when the lock file is not one this function wrote
 */
export function checkForgeRemotesLock(config: ResidencyConfig, lockPath: string, options: { readonly accept?: boolean } = {}): ForgeRemotesLockCheck {
  if (!config.app.forgeAppId) return { status: 'not-forge', changes: [] };
  const current = lockOf(forgeRemotes(config));
  const write = () => writeFileSync(lockPath, `${JSON.stringify(current, null, 2)}\n`);
  if (!existsSync(lockPath)) {
    write();
    return { status: 'created', changes: [], message: `${lockPath}: recorded the Forge remotes' realms and URLs; commit it (a change to them is a major Forge version)` };
  }
  const changes = forgeRemotesLockChanges(readLock(lockPath), current);
  if (changes.length === 0) return { status: 'unchanged', changes };
  if (options.accept) {
    write();
    return { status: 'accepted', changes, message: `${lockPath}: accepted ${changes.join('; ')}; commit it and ship the Forge app as a major version` };
  }
  return {
    status: 'changed',
    changes,
    message:
      `Warning: ${lockPath}: the Forge remotes changed (${changes.join('; ')}), a major Forge version that every admin must consent to; ` +
      `to accept, run npx cdk synth -c ${ACCEPT_FORGE_REMOTES_CONTEXT}=true and commit the lock file`,
  };
}

function readLock(lockPath: string): ForgeRemotesLock {
  const refuse = (found: string): never => {
    const e = new ConfigError(lockPath, [{ path: '$', found, expected: `a lock file as synth writes it, { "remotes": { "<key>": { "default": "<url>", ... } } } (delete it to record the current remotes)` }]);
    e.message = `${lockPath}: not a Forge remotes lock file: found ${found}; expected { "remotes": { "<key>": { "default": "<url>", ... } } } as synth writes it (delete it to record the current remotes)`;
    throw e;
  };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(lockPath, 'utf8'));
  } catch (error) {
    return refuse(`no JSON (${(error as Error).message.split('\n')[0]})`);
  }
  const remotes = (raw as { remotes?: unknown } | null)?.remotes;
  if (typeof remotes !== 'object' || remotes === null || Array.isArray(remotes)) return refuse(describe(raw));
  for (const urls of Object.values(remotes)) {
    if (typeof urls !== 'object' || urls === null || Object.values(urls).some((u) => typeof u !== 'string')) return refuse(describe(raw));
  }
  return { remotes: remotes as ForgeRemotesLock['remotes'] };
}
