import { AppDefinitionError } from './app-definition-error';
import { parseRoutePath } from './route-path';
import { RouteSpec } from './routes';

/** One Connect module as the descriptor's `modules` holds it; the toolkit reads `key` and `url`. */
export interface ConnectModule {
  /** The module key (letters, digits and dashes, unique within the app); webhooks have none. */
  readonly key?: string;
  /** The app path the product loads or posts to, relative to the realm's base URL. */
  readonly url?: string;
  readonly [field: string]: unknown;
}

/** The descriptor's `modules`: module type (`generalPages`, `webPanels`, `webhooks`, ...) to modules. */
export type ConnectModules = Readonly<Record<string, readonly ConnectModule[] | ConnectModule>>;

// Modules whose url is a link, not a page of the app (a web item may point anywhere in the product).
const LINKS = new Set(['webItems']);
const MODULE_KEY = /^[a-zA-Z0-9-]+$/;

/**
 * Checks that every module URL is a route of the app with a fitting auth: pages, panels and
 * other iframes load with a `connect` GET (a product-signed JWT with a real qsh); webhooks
 * post to a `connect` POST. Module keys must be unique and well-formed.
 */
export function checkConnectModules(modules: ConnectModules, routes: readonly RouteSpec[]): void {
  if (typeof modules !== 'object' || modules === null || Array.isArray(modules)) throw new AppDefinitionError('connect.modules must be an object of module type to modules');
  const keys = new Map<string, string>();
  for (const [type, entry] of Object.entries(modules)) {
    const list = Array.isArray(entry) ? entry : [entry];
    list.forEach((module, i) => {
      const where = `connect.modules.${type}${Array.isArray(entry) ? `[${i}]` : ''}`;
      if (typeof module !== 'object' || module === null) throw new AppDefinitionError(`${where} must be an object`);
      if (type !== 'webhooks') {
        if (typeof module.key !== 'string' || !MODULE_KEY.test(module.key)) throw new AppDefinitionError(`${where} needs a key of letters, digits and dashes, got ${JSON.stringify(module.key)}`);
        const seen = keys.get(module.key);
        if (seen) throw new AppDefinitionError(`${where} has the key "${module.key}" of ${seen}; module keys are unique within an app`);
        keys.set(module.key, where);
      }
      if (module.url === undefined || LINKS.has(type)) return;
      const [method, auth] = type === 'webhooks' ? (['POST', 'connect'] as const) : (['GET', 'connect'] as const);
      const path = pathOf(where, module.url);
      if (!routes.some((r) => r.method === method && r.auth === auth && matches(path, r.path))) {
        const near = routes.find((r) => matches(path, r.path));
        const found = near ? `; route ${near.method} ${near.path} has auth '${near.auth}'` : '';
        throw new AppDefinitionError(`${where} has url ${module.url}, which needs a route ${method} ${path} with auth '${auth}'${found}`);
      }
    });
  }
}

// The path of a module URL: no query (it carries `{context}` placeholders), relative to the base URL.
function pathOf(where: string, url: unknown): string {
  if (typeof url !== 'string' || !url.startsWith('/')) {
    throw new AppDefinitionError(`${where} has url ${JSON.stringify(url)}; expected a path of the app starting with "/" (the product loads it from the tenant's realm)`);
  }
  const path = url.split(/[?#]/, 1)[0]!;
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

// A `{placeholder}` segment of a module URL matches a route parameter; literals match literals or parameters.
function matches(modulePath: string, routePath: string): boolean {
  const segments = modulePath === '/' ? [] : modulePath.slice(1).split('/');
  const route = parseRoutePath(routePath);
  return segments.length === route.length && route.every((s, i) => 'param' in s || (!/^\{.*\}$/.test(segments[i]!) && s.literal === segments[i]));
}
