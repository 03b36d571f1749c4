import type { ResidentApp } from '../../runtime/app/define-app';
import { MIGRATION_HOOK_PATH, TOOLKIT_ROUTES } from '../../runtime/app/routes';
import { ResidencyConfig } from '../config/load';

/** The Connect app descriptor (the parts this toolkit generates). */
export interface ConnectDescriptor {
  readonly key: string;
  readonly name: string;
  readonly description: string;
  readonly baseUrl: string;
  readonly regionBaseUrls?: Readonly<Record<string, string>>;
  readonly authentication: { readonly type: 'jwt' };
  readonly apiVersion: 1;
  readonly apiMigrations: { readonly 'signed-install': true; readonly 'context-qsh': true; readonly gdpr: true };
  readonly scopes: readonly string[];
  readonly lifecycle: Readonly<Record<string, string>>;
  /** How long Atlassian keeps a tenant offline for a realm migration; present with `lifecycle.dare-migration`. */
  readonly dataResidency?: { readonly maxMigrationDurationHours: number };
  readonly modules: Readonly<Record<string, unknown>>;
}

/** Options of {@link connectDescriptor}. */
export interface ConnectDescriptorOptions {
  /**
   * Serve every realm from this one base URL instead (the dev server on localhost).
   * Without regional URLs there is no realm to migrate to, so the migration hook is left out too.
   * @default - the config's global base URL and one base URL per realm
   */
  readonly baseUrlOverride?: string;
}

/**
 * The Connect descriptor derived from the config and the hosted app: `baseUrl` is
 * Global's, `regionBaseUrls` maps every other realm to its regional host, lifecycle
 * paths come from `TOOLKIT_ROUTES`, `modules` are the app's `connect.modules` (which
 * `defineApp` checked against its routes), signed install, context-qsh and gdpr are on, and
 * the scopes are the config's (which refuses ADMIN and ACT_AS_USER without a reason).
 * The dev server serves the same descriptor, with `baseUrlOverride`.
 *
 * The data residency migration hook (`lifecycle.dare-migration` at `MIGRATION_HOOK_PATH`,
 * with `dataResidency.maxMigrationDurationHours` from `config.migration.maxDurationHours.connect`) is declared only
 * when the descriptor has `regionBaseUrls`: an app that serves Global alone has no realm a
 * tenant could move to, and declaring the hook would advertise a migration it must refuse.
 */
export function connectDescriptor(config: ResidencyConfig, app: ResidentApp, options: ConnectDescriptorOptions = {}): ConnectDescriptor {
  const lifecycle: Record<string, string> = {};
  for (const route of TOOLKIT_ROUTES) {
    const hook = /^\/lifecycle\/([a-z-]+)$/.exec(route.path)?.[1];
    if (hook) lifecycle[hook] = route.path;
  }
  const regional = config.realms.filter((r) => r.name !== 'Global');
  const multiRealm = !options.baseUrlOverride && regional.length > 0;
  if (multiRealm) lifecycle['dare-migration'] = MIGRATION_HOOK_PATH;
  return {
    key: config.app.key,
    name: config.app.name,
    description: `${config.app.name}: tenant data stays in the residency realm the customer chose.`,
    baseUrl: options.baseUrlOverride ?? config.globalBaseUrl,
    ...(multiRealm ? { regionBaseUrls: Object.fromEntries(regional.map((r) => [r.name, r.baseUrl])) } : {}),
    authentication: { type: 'jwt' },
    apiVersion: 1,
    apiMigrations: { 'signed-install': true, 'context-qsh': true, gdpr: true },
    scopes: [...config.scopes],
    lifecycle,
    ...(multiRealm ? { dataResidency: { maxMigrationDurationHours: config.migration.maxDurationHours.connect } } : {}),
    modules: app.connect.modules,
  };
}
