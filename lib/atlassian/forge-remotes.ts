import { FORGE_LIFECYCLE_MODULE_KEY, FORGE_LIFECYCLE_PATH, FORGE_MIGRATION_HOOK_PATH, FORGE_MIGRATION_MODULE_KEY, RouteSpec } from '../../runtime/app/routes';

export { FORGE_LIFECYCLE_MODULE_KEY, FORGE_MIGRATION_MODULE_KEY };

/** The Forge lifecycle events the generated trigger subscribes to (runtime/lifecycle/forge-lifecycle.ts handles them). */
export const FORGE_LIFECYCLE_TRIGGER_EVENTS = ['avi:forge:installed:app', 'avi:forge:upgraded:app', 'avi:forge:uninstalled:app'] as const;
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
  /** How long a migration may keep the tenant offline: 0.5 to 24 hours in steps of 0.5 (`migration.maxDurationHours.forge`, default 1.5). */
  readonly maxMigrationDurationHours: number;
}

/** A Forge `endpoint` module on the remote: what UI modules' resolvers and triggers point at. */
export interface ForgeEndpoint {
  readonly key: string;
  readonly remote: string;
  readonly route?: { readonly path: string };
  /** The OAuth tokens Forge sends to the remote with each call. */
  readonly auth?: { readonly appSystemToken?: { readonly enabled: true }; readonly appUserToken?: { readonly enabled: true } };
}

/** A Forge `trigger` module delivering events to an endpoint of the remote. */
export interface ForgeTrigger {
  readonly key: string;
  readonly endpoint: string;
  readonly events: readonly string[];
}

/** The generated fragment of a Forge `manifest.yml`: paste `remotes` and `permissions`, merge `modules` (and `app`) into it. */
export interface ForgeRemotes {
  /** The app's one remote backend. */
  readonly remotes: readonly ForgeRemote[];
  /**
   * The remote's endpoints (the lifecycle endpoint, and one per token set the app's Forge routes ask for),
   * the lifecycle trigger, and the migration module (absent when the app serves Global alone: there is nowhere to migrate to).
   */
  readonly modules: {
    readonly endpoint: readonly ForgeEndpoint[];
    readonly trigger: readonly ForgeTrigger[];
    readonly 'migration:dataResidency'?: readonly ForgeDataResidencyMigration[];
  };
  /** Lets Forge call the remote (by its key, so every realm's URL is covered). */
  readonly permissions: { readonly external: { readonly fetch: { readonly backend: readonly { readonly remote: string }[] } } };
  /** For a Connect-on-Forge app: the remote that keeps the Connect installation's realm. */
  readonly app?: { readonly connect: { readonly remote: string } };
}

/** Options of {@link forgeRemotes}. */
export interface ForgeRemotesOptions {
  /** The routes the realms serve (`routeSpecs(app, { forgeRemote: true })`): endpoints follow the app's Forge routes. @default - toolkit routes only */
  readonly routes?: readonly RouteSpec[];
  /** Whether the app is a Connect app registered on Forge (adds `app.connect.remote`). @default false */
  readonly connectOnForge?: boolean;
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
export function forgeRemotes(config: ResidencyConfig, options: ForgeRemotesOptions = {}): ForgeRemotes {
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
    maxMigrationDurationHours: config.migration.maxDurationHours.forge,
  };
  const lifecycleEndpoint: ForgeEndpoint = { key: `${key}-lifecycle`, remote: key, route: { path: FORGE_LIFECYCLE_PATH } };
  return {
    remotes: [remote],
    modules: {
      endpoint: [lifecycleEndpoint, ...appEndpoints(key, options.routes ?? [])],
      trigger: [{ key: FORGE_LIFECYCLE_MODULE_KEY, endpoint: lifecycleEndpoint.key, events: [...FORGE_LIFECYCLE_TRIGGER_EVENTS] }],
      ...(regional.length > 0 ? { 'migration:dataResidency': [migration] } : {}),
    },
    permissions: { external: { fetch: { backend: [{ remote: key }] } } },
    ...(options.connectOnForge ? { app: { connect: { remote: key } } } : {}),
  };
}

/**
 * One endpoint per set of OAuth tokens the app's Forge routes ask for (`<remote>-api`,
 * `-api-user`, `-api-system`, `-api-both`), at the remote's root: `invokeRemote` names each
 * route's path and method, and the route's `forgeModules` bind tokens to their callers.
 */
function appEndpoints(remote: string, routes: readonly RouteSpec[]): ForgeEndpoint[] {
  const vendor = routes.filter((r) => r.auth === 'forge' && !r.path.startsWith(FORGE_MIGRATION_HOOK_PATH) && r.path !== FORGE_LIFECYCLE_PATH);
  const sets = new Map<string, ForgeEndpoint>();
  for (const r of vendor) {
    const user = r.forgeTokens?.appUserToken === true;
    const system = r.forgeTokens?.appSystemToken === true;
    const suffix = user && system ? '-api-both' : user ? '-api-user' : system ? '-api-system' : '-api';
    const auth = { ...(system ? { appSystemToken: { enabled: true as const } } : {}), ...(user ? { appUserToken: { enabled: true as const } } : {}) };
    sets.set(suffix, { key: `${remote}${suffix}`, remote, route: { path: '/' }, ...(user || system ? { auth } : {}) });
  }
  return [...sets.values()];
}
