import { Context, Hono } from 'hono';
import type { EgressSender } from '../atlassian-api/egress-messages';
import { bodyLimit } from 'hono/body-limit';
import { SECURITY_HEADERS } from '../http/security-headers';
import { RealmDirectory } from '../lifecycle/hooks';
import { MigrationHooks } from '../migration/migration-hooks';
import { ObjectStore } from '../migration/object-store';
import { ObjectUrlSigner } from '../objects/object-url-signer';
import { TenantStore } from '../tenants';
import { AuthContext } from './authenticate';
import { ResidentApp, RouteDefinition, isResidentApp, routeSpecs } from './define-app';
import { errorResponse } from './http-errors';
import { Logger, jsonLogger } from './logger';
import { toResponse } from './responses';
import { bySpecificity } from './route-path';
import { routeRequestOf } from './route-request';
import { DESCRIPTOR_PATH, RouteSpec } from './routes';
import { SecretSource, TenantStoresFor, tenantContextOf } from './tenant-context';
import { TOOLKIT_HANDLERS } from './toolkit-handlers';

/** Authenticates a request in the app: from the API Gateway authorizer's context, or inline in dev mode. */
export type RequestAuthenticator = (c: Context, route: RouteSpec) => Promise<AuthContext>;

/** Options of {@link createApp}. */
export interface AppOptions {
  /** The vendor's app (`defineApp`), served next to the toolkit's lifecycle and migration hooks. */
  readonly app: ResidentApp;
  /** The Atlassian app key that lifecycle bodies must name. */
  readonly appKey: string;
  /** The realm served (`tenant.realm`). */
  readonly realm: string;
  /** The realm's tenant store. */
  readonly store: TenantStore;
  /** How each request is authenticated (see `gatewayAuthentication`, `inlineAuthentication`). */
  readonly authenticate: RequestAuthenticator;
  /**
   * The routes to serve: the table the API was built from.
   * @default routeSpecs(app): the toolkit's Connect routes and the app's
   */
  readonly routes?: readonly RouteSpec[];
  /** Each tenant's stores (per-tenant credentials plug in here). @default - `store.dataFor(id)`, `objects` and `signer` */
  readonly storesFor?: TenantStoresFor;
  /** The realm's object store behind `tenant.objects`. @default - none: object calls fail */
  readonly objects?: ObjectStore;
  /** Signs `tenant.objects` presigned URLs. @default - none */
  readonly signer?: ObjectUrlSigner;
  /** The app's secrets behind `tenant.secrets`. @default - none */
  readonly secrets?: SecretSource;
  /** Where refusals and errors are logged (never tokens, secrets or bodies). @default JSON lines on stdout */
  readonly log?: Logger;
  /**
   * A Connect descriptor to serve, unauthenticated, at `/atlassian-connect.json` (the dev server).
   * @default - none: deployed, the global edge serves the descriptor
   */
  readonly descriptor?: object;
  /**
   * The realm's migration engine (`MigrationEngine`), which the migration hooks run on.
   * @default - none: every migration hook is refused with E0003 (migrations not supported)
   */
  readonly migration?: MigrationHooks;
  /**
   * The global tenant directory and this realm's name, updated on `installed` and `uninstalled`.
   * @default - the directory is not updated
   */
  readonly directory?: RealmDirectory;
  /**
   * The egress path behind `tenant.atlassian` (`FunctionEgress` deployed; `egressHandler(...)` in process in tests).
   * @default - none: `tenant.atlassian` calls fail with `not-configured`
   */
  readonly egress?: EgressSender;
}

/** Largest request body accepted (the WAF's managed rules already block bodies over 8 KB). */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Hosts the vendor's app on Hono, with the toolkit's lifecycle and migration hooks: the same
 * code runs in Lambda (`hono/aws-lambda`) and in the dev server. Every route authenticates
 * before its handler runs; a vendor handler gets the caller's tenant context; every response,
 * refusals and errors included, carries `SECURITY_HEADERS`.
 */
export function createApp(options: AppOptions): Hono {
  if (!isResidentApp(options.app)) throw new TypeError('createApp needs { app }: an app made by defineApp');
  const log = options.log ?? jsonLogger;
  const vendor = new Map(options.app.routes.map((r) => [`${r.method} ${r.path}`, r]));
  const hono = new Hono();
  hono.use('*', async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(name, value);
  });
  hono.use('*', bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json({ error: 'payload too large' }, 413) }));
  const descriptor = options.descriptor;
  if (descriptor) hono.get(DESCRIPTOR_PATH, (c) => c.json(descriptor));
  // Literal segments before parameters, as API Gateway picks resources: /items/new before /items/:id.
  const routes = [...(options.routes ?? routeSpecs(options.app))].sort((a, b) => bySpecificity(a.path, b.path));
  for (const route of routes) {
    const key = `${route.method} ${route.path}`;
    const toolkit = TOOLKIT_HANDLERS[key];
    const own = vendor.get(key);
    if (!toolkit && !own) throw new Error(`createApp: route ${key} is neither the toolkit's nor the app's`);
    hono.on(route.method, route.path, async (c) => {
      const auth = await options.authenticate(c, route);
      return toolkit ? toolkit(c, auth, options) : runVendorRoute(c, own!, auth, options, log);
    });
  }
  hono.notFound((c) => c.json({ error: 'not found' }, 404));
  hono.onError((err, c) => errorResponse(err, c, log));
  return hono;
}

async function runVendorRoute(c: Context, route: RouteDefinition<unknown>, auth: AuthContext, o: AppOptions, log: Logger): Promise<Response> {
  const name = `${route.method} ${route.path}`;
  const [request, tenant] = await Promise.all([
    routeRequestOf(c, route.body),
    tenantContextOf(
      { realm: o.realm, appKey: o.appKey, store: o.store, registerOnFirstCall: o.app.forge.registerOnFirstCall, storesFor: o.storesFor, objects: o.objects, signer: o.signer, secrets: o.secrets, log, egress: o.egress },
      auth,
      name,
      // Forge's OAuth tokens: only those the route asks Forge for, handed to this request's tenant.atlassian alone.
      auth.installationId ? { system: route.forgeTokens?.appSystemToken ? c.req.header('x-forge-oauth-system') : undefined, user: route.forgeTokens?.appUserToken ? c.req.header('x-forge-oauth-user') : undefined } : {},
    ),
  ]);
  return toResponse(await route.handler(request, tenant));
}

