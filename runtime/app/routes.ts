/**
 * How a route authenticates:
 * - `install`: Atlassian's signed install (RS256, key fetched by kid), lifecycle
 *   `installed` and `uninstalled` only;
 * - `connect`: HS256 with the tenant's shared secret and a qsh for this exact request;
 * - `context`: as `connect`, and also accepts `qsh: "context-qsh"` tokens from the iframe;
 * - `forge`: a Forge Invocation Token (`Authorization: Bearer`, RS256 from Forge's JWKS).
 */
export type RouteAuth = 'install' | 'connect' | 'context' | 'forge';

/** The HTTP methods a route may have. */
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** An HTTP method of a route. */
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** One route of the app: the API Gateway methods and the handler's router derive from it. */
export interface RouteSpec {
  /** HTTP method. */
  readonly method: HttpMethod;
  /**
   * Path below the realm's base URL, such as `/lifecycle/installed`; `:name` segments are
   * parameters (`/api/items/:id`, the API Gateway resource `/api/items/{id}`: see `apiGatewayPath`).
   */
  readonly path: string;
  /** How the route authenticates. */
  readonly auth: RouteAuth;
  /** Whether the route takes a JSON body (API Gateway validates that one is present). */
  readonly jsonBody?: boolean;
  /** On `forge` routes: the Forge module keys allowed to call it (checked against the token's `app.module.key`). */
  readonly forgeModules?: readonly string[];
  /** On `forge` routes: the OAuth tokens its manifest endpoint asks Forge for. */
  readonly forgeTokens?: { readonly appSystemToken?: boolean; readonly appUserToken?: boolean };
  /** On `forge` routes: refuse tokens that name a user (`principal`), for calls only Forge itself makes. */
  readonly forgeSystemOnly?: boolean;
}

/**
 * Where the Connect data residency migration hooks live: the descriptor's
 * `lifecycle.dare-migration`; Atlassian appends `/schedule`, `/start`, `/status`, `/commit`
 * and `/rollback`.
 */
export const MIGRATION_HOOK_PATH = '/migration';

/**
 * Where a Forge remote's migration hooks live: the `migration:dataResidency` module's `path`.
 * Apart from the Connect hooks, so one API serves both: they carry different tokens, checked
 * by different authorizers (Forge's keys are fetched from the internet, Connect's tenant
 * secrets are read inside the VPC).
 */
export const FORGE_MIGRATION_HOOK_PATH = '/forge/migration';

/**
 * The key of the manifest's `migration:dataResidency` module: the generated manifest fragment
 * declares it and the Forge migration hooks accept only tokens that name it.
 */
export const FORGE_MIGRATION_MODULE_KEY = 'dare-migration';

/**
 * The five migration hooks, authenticated as `auth` says: `connect` (HS256 with a real qsh;
 * context tokens are refused) under `MIGRATION_HOOK_PATH`, or `forge` (Forge Invocation
 * Tokens) under `FORGE_MIGRATION_HOOK_PATH`.
 */
export function migrationRoutes(auth: 'connect' | 'forge'): RouteSpec[] {
  const base = auth === 'forge' ? FORGE_MIGRATION_HOOK_PATH : MIGRATION_HOOK_PATH;
  // Forge's hooks take only the migration module's own tokens, which Forge mints without a user.
  const bound = auth === 'forge' ? { forgeModules: [FORGE_MIGRATION_MODULE_KEY], forgeSystemOnly: true } : {};
  return [
    { method: 'POST', path: `${base}/schedule`, auth, jsonBody: true, ...bound },
    { method: 'POST', path: `${base}/start`, auth, jsonBody: true, ...bound },
    { method: 'GET', path: `${base}/status`, auth, ...bound },
    { method: 'POST', path: `${base}/commit`, auth, jsonBody: true, ...bound },
    { method: 'POST', path: `${base}/rollback`, auth, jsonBody: true, ...bound },
  ];
}

/** Where a Forge remote's lifecycle trigger delivers Forge's installed, upgraded and uninstalled events. */
export const FORGE_LIFECYCLE_PATH = '/forge/lifecycle';

/** The key of the generated lifecycle `trigger` module: the only module whose tokens the lifecycle route takes. */
export const FORGE_LIFECYCLE_MODULE_KEY = 'residency-lifecycle';

/** Where the lifecycle hooks live (`/lifecycle/installed`, ...). */
export const LIFECYCLE_PATH = '/lifecycle';

/** Where the dev server serves the Connect descriptor (deployed, the global edge serves it). */
export const DESCRIPTOR_PATH = '/atlassian-connect.json';

/**
 * The toolkit's own Connect routes: the lifecycle and migration hooks. This module is data
 * only, so CDK code may import it to build the API without pulling runtime code into synth.
 */
export const TOOLKIT_ROUTES: readonly RouteSpec[] = [
  { method: 'POST', path: `${LIFECYCLE_PATH}/installed`, auth: 'install', jsonBody: true },
  { method: 'POST', path: `${LIFECYCLE_PATH}/uninstalled`, auth: 'install', jsonBody: true },
  { method: 'POST', path: `${LIFECYCLE_PATH}/enabled`, auth: 'connect', jsonBody: true },
  { method: 'POST', path: `${LIFECYCLE_PATH}/disabled`, auth: 'connect', jsonBody: true },
  ...migrationRoutes('connect'),
];

/**
 * Path prefixes only the toolkit serves: a vendor route that could match a request below
 * one is refused by `defineApp`, whatever its method.
 */
export const TOOLKIT_PATH_PREFIXES: readonly string[] = [LIFECYCLE_PATH, MIGRATION_HOOK_PATH, FORGE_MIGRATION_HOOK_PATH, FORGE_LIFECYCLE_PATH];

/**
 * The routes of a Forge remote: the migration hooks and the lifecycle trigger's endpoint,
 * called with Forge Invocation Tokens.
 * Serve them with `createApp({ routes: routeSpecs(app, { forgeRemote: true }), ... })`.
 */
export const FORGE_APP_ROUTES: readonly RouteSpec[] = [
  ...migrationRoutes('forge'),
  { method: 'POST', path: FORGE_LIFECYCLE_PATH, auth: 'forge', jsonBody: true, forgeModules: [FORGE_LIFECYCLE_MODULE_KEY] },
];
