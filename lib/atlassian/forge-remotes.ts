import { FORGE_MIGRATION_HOOK_PATH, FORGE_MIGRATION_MODULE_KEY } from '../../runtime/app/routes';

export { FORGE_MIGRATION_MODULE_KEY };
import { ResidencyConfig } from '../config/load';
import { ConfigError, describe } from '../config/problems';
import { RealmName } from '../config/realms';

/** A realm as a key of a Forge remote's `baseUrl` map: every realm but Global, which is `default`. */
export type ForgeRealmKey = Exclude<RealmName, 'Global'>;

/** What a Forge remote does with the data Forge sends it (the manifest's `remotes[].operations`). */
export type ForgeRemoteOperation = 'storage' | 'compute' | 'fetch' | 'other';

/** One entry of the Forge manifest's `remotes`. */
export interface ForgeRemote {
  /** The remote's key: `^[a-zA-Z0-9_-]+$`, at most 23 characters. */
  readonly key: string;
  /** The Global base URL as `default`, and one base URL per other configured realm. */
  readonly baseUrl: { readonly default: string } & Readonly<Partial<Record<ForgeRealmKey, string>>>;
  /** What the remote does with egressed data. */
  readonly operations: readonly ForgeRemoteOperation[];
  /** Required with the `storage` operation: whether the remote stores in-scope end-user data. */
  readonly storage: { readonly inScopeEUD: boolean };
}

/** The Forge manifest's `migration:dataResidency` module: where Forge sends the migration hooks. */
export interface ForgeDataResidencyMigration {
  /** The module key. */
  readonly key: string;
  /** The key of the remote that serves the hooks. */
  readonly remote: string;
  /** The path below the remote's base URL; Forge appends `/schedule`, `/start`, ... */
  readonly path: string;
  /** How long a migration may keep the tenant offline: 0.5 to 24 hours in steps of 0.5. */
  readonly maxMigrationDurationHours: number;
}

/** The generated fragment of a Forge `manifest.yml`: paste `remotes` and merge `modules` into it. */
export interface ForgeRemotes {
  /** The app's one remote backend. */
  readonly remotes: readonly ForgeRemote[];
  /** The migration module; empty when the app serves Global alone (there is nowhere to migrate to). */
  readonly modules: { readonly 'migration:dataResidency'?: readonly ForgeDataResidencyMigration[] };
}

/** The longest remote key Forge accepts. */
export const FORGE_REMOTE_KEY_MAX_LENGTH = 23;


/**
 * The Forge remote key for an app key: its last non-empty dot-separated segment, cut to
 * 23 characters (`com.example.residency-demo` -> `residency-demo`). A validated app key
 * holds only letters, digits, dots, dashes and underscores, so every segment already
 * matches Forge's `^[a-zA-Z0-9_-]+$`.
 * @throws ConfigError when the app key has no such segment (it is only dots)
 */
export function forgeRemoteKey(appKey: string): string {
  const segment = appKey.split('.').filter((s) => s.length > 0).pop() ?? '';
  const key = segment.slice(0, FORGE_REMOTE_KEY_MAX_LENGTH);
  if (!/^[a-zA-Z0-9_-]+$/.test(key)) {
    throw new ConfigError('config', [{
      path: '$.app.key',
      found: describe(appKey),
      expected: 'an app key whose last dot-separated segment is letters, digits, dashes or underscores (the Forge remote key derives from it)',
    }]);
  }
  return key;
}

/**
 * The Forge manifest fragment derived from the config: one remote whose `baseUrl` maps
 * `default` to the Global URL and every other configured realm to its regional URL, and
 * (when there is a realm besides Global) the `migration:dataResidency` module on that
 * remote at `FORGE_MIGRATION_HOOK_PATH`.
 *
 * The remote declares `storage` (the realm stacks keep tenant data, so `inScopeEUD` is
 * true) and `compute` (Forge needs it for `invokeRemote`); not `fetch`, because no Forge
 * frontend fetches from the remote directly. With one storage remote, Forge's rule that
 * every remote storing in-scope data declares the same realms holds by construction.
 * @throws ConfigError when no remote key can be derived from the app key
 */
export function forgeRemotes(config: ResidencyConfig): ForgeRemotes {
  const key = forgeRemoteKey(config.app.key);
  const regional = config.realms.filter((r): r is typeof r & { name: ForgeRealmKey } => r.name !== 'Global');
  const remote: ForgeRemote = {
    key,
    baseUrl: { default: config.globalBaseUrl, ...Object.fromEntries(regional.map((r) => [r.name, r.baseUrl])) },
    operations: ['storage', 'compute'],
    storage: { inScopeEUD: true },
  };
  const migration: ForgeDataResidencyMigration = {
    key: FORGE_MIGRATION_MODULE_KEY,
    remote: key,
    path: FORGE_MIGRATION_HOOK_PATH,
    maxMigrationDurationHours: config.migration.maxDurationHours,
  };
  return { remotes: [remote], modules: regional.length > 0 ? { 'migration:dataResidency': [migration] } : {} };
}
