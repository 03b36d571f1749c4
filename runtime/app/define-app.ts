import { AppDefinitionError } from './app-definition-error';
import { ConnectModules, checkConnectModules } from './connect-modules';
import { checkRouteConflicts } from './route-conflicts';
import { parseRoutePath } from './route-path';
import type { RouteRequest } from './route-request';
import { FORGE_APP_ROUTES, HTTP_METHODS, HttpMethod, RouteSpec, TOOLKIT_ROUTES } from './routes';
import type { TenantContext } from './tenant-context';

/** How a vendor route authenticates (see `RouteAuth`; `install` is the toolkit's own). */
export type VendorRouteAuth = 'connect' | 'context' | 'forge';

/**
 * A body schema: anything with zod's `safeParse` (zod classic or `zod/mini`). The body is
 * checked against it before the handler runs; a failure answers 400 with each issue's path.
 */
export interface BodySchema<T> {
  safeParse(data: unknown): { success: true; data: T } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

/** What a handler returns: a `Response` as is, `undefined` for 204, anything else as JSON with 200. */
export type RouteResult = Response | undefined | unknown;

/** One route of the vendor's app. */
export interface RouteDefinition<B = unknown> {
  /** HTTP method. */
  readonly method: HttpMethod;
  /** Path below the realm's base URL, with `:name` parameters (`/api/items/:id`). */
  readonly path: string;
  /** `connect` (product JWT with a real qsh), `context` (also iframe context tokens) or `forge` (a Forge Invocation Token). */
  readonly auth: VendorRouteAuth;
  /** The JSON body's schema; without one the handler gets no parsed body. */
  readonly body?: BodySchema<B>;
  /** On `forge` routes: the Forge module keys allowed to call it. */
  readonly forgeModules?: readonly string[];
  /**
   * On `forge` routes: the OAuth tokens Forge sends along (the manifest endpoint's `auth`):
   * the app's own (`x-forge-oauth-system`) and the calling user's (`x-forge-oauth-user`).
   * @default - neither
   */
  readonly forgeTokens?: ForgeTokens;
  /** Runs after the request authenticated (and its body passed `body`), with the caller's tenant. */
  handler(request: RouteRequest<B>, tenant: TenantContext): Promise<RouteResult> | RouteResult;
}

/** The OAuth tokens a Forge endpoint asks Forge to send (its manifest `auth`). */
export interface ForgeTokens {
  /** The app system token. @default false */
  readonly appSystemToken?: boolean;
  /** The current user's token. @default false */
  readonly appUserToken?: boolean;
}

/** The vendor's Connect side: the descriptor's `modules`, each URL a route of the app. */
export interface ConnectDefinition {
  /** Module type to modules, as in the descriptor (`generalPages`, `webPanels`, `webhooks`, ...). */
  readonly modules?: ConnectModules;
}

/** What `defineApp` takes. */
export interface AppDefinition {
  /** The app's routes; the toolkit adds its lifecycle and migration hooks. */
  readonly routes: readonly RouteDefinition<any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** The Connect modules. @default - none */
  readonly connect?: ConnectDefinition;
  /** How the app meets Forge installations. @default - { registerOnFirstCall: false } */
  readonly forge?: ForgeDefinition;
}

/** The vendor's Forge side. */
export interface ForgeDefinition {
  /**
   * Register a Forge installation that the realm learns of from a valid invocation token before
   * (or instead of) its `installed` event. Off by default: only the lifecycle trigger registers
   * tenants, so a token alone never creates tenant state (see the README, "Forge apps").
   * @default false
   */
  readonly registerOnFirstCall?: boolean;
}

const RESIDENT_APP = Symbol.for('cdk-residency.ResidentApp');

/** A checked vendor app: what `createApp` hosts and what CDK code reads routes from. */
export interface ResidentApp {
  readonly [RESIDENT_APP]: true;
  /** The vendor's routes, handlers included, in definition order. */
  readonly routes: readonly RouteDefinition<unknown>[];
  /** The Connect modules (for the descriptor). */
  readonly connect: { readonly modules: ConnectModules };
  /** The Forge options, defaults filled in. */
  readonly forge: { readonly registerOnFirstCall: boolean };
}

/** Types one route, so `request.body` is what its `body` schema parses to. */
export function route<B = undefined>(definition: RouteDefinition<B>): RouteDefinition<B> {
  return definition;
}

/**
 * Checks and freezes a vendor app: methods, paths (API Gateway expressible), auth kinds,
 * no route shadowing a toolkit route or duplicating another, Connect module URLs served by
 * fitting routes. Every problem is an `AppDefinitionError` here, before any request.
 */
export function defineApp(definition: AppDefinition): ResidentApp {
  if (typeof definition !== 'object' || definition === null || !Array.isArray(definition.routes)) {
    throw new AppDefinitionError('expected { routes: [...], connect?: { modules } }');
  }
  const routes = definition.routes.map((r, i) => checkRoute(r, i));
  checkRouteConflicts(routes);
  const modules = definition.connect?.modules ?? {};
  checkConnectModules(modules, routes.map(specOf));
  const registerOnFirstCall = definition.forge?.registerOnFirstCall ?? false;
  if (typeof registerOnFirstCall !== 'boolean') throw new AppDefinitionError(`forge.registerOnFirstCall is ${JSON.stringify(registerOnFirstCall)}; expected true or false`);
  return Object.freeze({ [RESIDENT_APP]: true as const, routes: Object.freeze(routes), connect: Object.freeze({ modules }), forge: Object.freeze({ registerOnFirstCall }) });
}

/** Whether `value` is an app made by `defineApp` (of any copy of this package). */
export function isResidentApp(value: unknown): value is ResidentApp {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[RESIDENT_APP] === true;
}

/** Options of {@link routeSpecs}. */
export interface RouteSpecsOptions {
  /** Whether the realm is also a Forge remote (adds the Forge migration hooks). @default false */
  readonly forgeRemote?: boolean;
}

/**
 * Every route a realm's API serves for `app`, as plain data (no handler runs): the
 * toolkit's lifecycle and migration hooks, then the vendor's routes.
 */
export function routeSpecs(app: ResidentApp, options: RouteSpecsOptions = {}): RouteSpec[] {
  return [...TOOLKIT_ROUTES, ...(options.forgeRemote ? FORGE_APP_ROUTES : []), ...app.routes.map(specOf)];
}

/** The route data of a vendor route. */
export function specOf(r: RouteDefinition<unknown>): RouteSpec {
  return {
    method: r.method,
    path: r.path,
    auth: r.auth,
    ...(r.body ? { jsonBody: true } : {}),
    ...(r.forgeModules ? { forgeModules: [...r.forgeModules] } : {}),
    ...(r.forgeTokens ? { forgeTokens: { ...r.forgeTokens } } : {}),
  };
}

function checkRoute(r: RouteDefinition<unknown>, i: number): RouteDefinition<unknown> {
  const where = `routes[${i}]${typeof r?.method === 'string' && typeof r?.path === 'string' ? ` (${r.method} ${r.path})` : ''}`;
  if (typeof r !== 'object' || r === null) throw new AppDefinitionError(`${where} must be an object`);
  if (!HTTP_METHODS.includes(r.method)) throw new AppDefinitionError(`${where} has method ${JSON.stringify(r.method)}; expected one of ${HTTP_METHODS.join(', ')}`);
  if (typeof r.path !== 'string' || !r.path.startsWith('/')) throw new AppDefinitionError(`${where} has path ${JSON.stringify(r.path)}; expected a path starting with "/"`);
  parseRoutePath(r.path);
  if (!['connect', 'context', 'forge'].includes(r.auth)) {
    throw new AppDefinitionError(`${where} has auth ${JSON.stringify(r.auth)}; expected 'connect', 'context' or 'forge' (install is the toolkit's own)`);
  }
  if (typeof r.handler !== 'function') throw new AppDefinitionError(`${where} has no handler function`);
  if (r.body !== undefined && typeof (r.body as { safeParse?: unknown })?.safeParse !== 'function') {
    throw new AppDefinitionError(`${where} has a body that is not a schema (expected zod's safeParse)`);
  }
  if (r.body !== undefined && r.method === 'GET') throw new AppDefinitionError(`${where} is a GET with a body schema; GET requests have no body`);
  if (r.forgeModules !== undefined) {
    if (r.auth !== 'forge') throw new AppDefinitionError(`${where} lists forgeModules but has auth '${r.auth}'; only forge routes are called by Forge modules`);
    if (!Array.isArray(r.forgeModules) || r.forgeModules.length === 0 || !r.forgeModules.every((k) => typeof k === 'string' && /^[a-zA-Z0-9_-]+$/.test(k))) {
      throw new AppDefinitionError(`${where} has forgeModules ${JSON.stringify(r.forgeModules)}; expected a non-empty list of Forge module keys`);
    }
  }
  if (r.forgeTokens !== undefined) {
    const t = r.forgeTokens as unknown as Record<string, unknown>;
    if (r.auth !== 'forge') throw new AppDefinitionError(`${where} lists forgeTokens but has auth '${r.auth}'; only Forge sends OAuth tokens`);
    if (typeof t !== 'object' || t === null || Object.entries(t).some(([k, v]) => !['appSystemToken', 'appUserToken'].includes(k) || typeof v !== 'boolean')) {
      throw new AppDefinitionError(`${where} has forgeTokens ${JSON.stringify(t)}; expected { appSystemToken?: boolean, appUserToken?: boolean }`);
    }
  }
  return Object.freeze({ ...r, ...(r.forgeModules ? { forgeModules: Object.freeze([...r.forgeModules]) } : {}) });
}
