import { APP_ROUTES } from '../../runtime/app/routes';
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
  readonly modules: Readonly<Record<string, unknown>>;
}

/** Options of {@link connectDescriptor}. */
export interface ConnectDescriptorOptions {
  /**
   * Serve every realm from this one base URL instead (the dev server on localhost).
   * @default - the config's global base URL and one base URL per realm
   */
  readonly baseUrlOverride?: string;
}

/**
 * The Connect descriptor derived from the config and the app's route table: `baseUrl` is
 * Global's, `regionBaseUrls` maps every other realm to its regional host, lifecycle
 * paths come from `APP_ROUTES`, signed install and context-qsh are on.
 */
export function connectDescriptor(config: ResidencyConfig, options: ConnectDescriptorOptions = {}): ConnectDescriptor {
  const lifecycle: Record<string, string> = {};
  for (const route of APP_ROUTES) {
    const hook = /^\/lifecycle\/([a-z-]+)$/.exec(route.path)?.[1];
    if (hook) lifecycle[hook] = route.path;
  }
  const regional = config.realms.filter((r) => r.name !== 'Global');
  const page = APP_ROUTES.find((r) => r.method === 'GET' && r.path.startsWith('/pages/'));
  return {
    key: config.app.key,
    name: config.app.name,
    description: `${config.app.name}: tenant data stays in the residency realm the customer chose.`,
    baseUrl: options.baseUrlOverride ?? config.globalBaseUrl,
    ...(options.baseUrlOverride || regional.length === 0
      ? {}
      : { regionBaseUrls: Object.fromEntries(regional.map((r) => [r.name, r.baseUrl])) }),
    authentication: { type: 'jwt' },
    apiVersion: 1,
    apiMigrations: { 'signed-install': true, 'context-qsh': true, gdpr: true },
    scopes: [...config.scopes],
    lifecycle,
    modules: page ? { generalPages: [{ key: 'notes', name: { value: 'Notes' }, url: page.path, location: 'system.top.navigation.bar' }] } : {},
  };
}
