import { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AuthError } from '../connect-auth/auth-error';
import { SECURITY_HEADERS } from '../http/security-headers';
import { LifecycleEvent, RealmDirectory, runLifecycleHook } from '../lifecycle/hooks';
import { MIGRATION_HOOK_NAMES, MigrationHookName, MigrationHooks, runMigrationHook } from '../migration/migration-hooks';
import { MigrationRefusal } from '../migration/migration-refusal';
import { TenantConflictError, TenantStore } from '../tenants';
import { AuthContext } from './authenticate';
import { addNote, listNotes, notesPage } from './notes';
import { APP_ROUTES, FORGE_MIGRATION_HOOK_PATH, MIGRATION_HOOK_PATH, RouteSpec } from './routes';
import { Logger, jsonLogger } from './logger';

/** Authenticates a request in the app: from the API Gateway authorizer's context, or inline in dev mode. */
export type RequestAuthenticator = (c: Context, route: RouteSpec) => Promise<AuthContext>;

/** Options of {@link createApp}. */
export interface AppOptions {
  /** The Atlassian app key that lifecycle bodies must name. */
  readonly appKey: string;
  /** The realm's tenant store. */
  readonly store: TenantStore;
  /** How each request is authenticated (see `gatewayAuthentication`, `inlineAuthentication`). */
  readonly authenticate: RequestAuthenticator;
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
   * The routes to serve (`FORGE_APP_ROUTES` for a Forge remote).
   * @default APP_ROUTES
   */
  readonly routes?: readonly RouteSpec[];
}

/** Largest request body accepted (the WAF's managed rules already block bodies over 8 KB). */
export const MAX_BODY_BYTES = 64 * 1024;

type RouteHandler = (c: Context, auth: AuthContext, options: AppOptions) => Promise<Response>;

const lifecycle = (event: LifecycleEvent): RouteHandler => async (c, auth, o) => {
  await runLifecycleHook(event, { appKey: o.appKey, store: o.store, signedBy: auth.clientKey, body: await c.req.text(), directory: o.directory });
  return c.body(null, 204);
};

const migration = (hook: MigrationHookName): RouteHandler => async (c, auth, o) => {
  const input = hook === 'status' ? { tenant: auth.clientKey, migrationIds: c.req.queries('migrationId') } : { tenant: auth.clientKey, body: await c.req.text() };
  const answer = await runMigrationHook(hook, o.migration, input);
  return answer.status === 200 ? c.json(answer.body, 200) : c.body(null, 204);
};

/** The handler of every route in `APP_ROUTES` and `FORGE_APP_ROUTES`, by `METHOD path`. */
const HANDLERS: Readonly<Record<string, RouteHandler>> = {
  'POST /lifecycle/installed': lifecycle('installed'),
  'POST /lifecycle/uninstalled': lifecycle('uninstalled'),
  'POST /lifecycle/enabled': lifecycle('enabled'),
  'POST /lifecycle/disabled': lifecycle('disabled'),
  'GET /pages/notes': async (c, auth, o) => c.html(notesPage(await listNotes(o.store.dataFor(auth.clientKey)))),
  'GET /api/notes': async (c, auth, o) => c.json({ notes: await listNotes(o.store.dataFor(auth.clientKey)) }),
  'POST /api/notes': async (c, auth, o) => c.json(await addNote(o.store.dataFor(auth.clientKey), await c.req.text(), auth.accountId), 201),
  ...Object.fromEntries(
    [MIGRATION_HOOK_PATH, FORGE_MIGRATION_HOOK_PATH].flatMap((base) => MIGRATION_HOOK_NAMES.map((hook) => [`${hook === 'status' ? 'GET' : 'POST'} ${base}/${hook}`, migration(hook)])),
  ),
};

/**
 * The example app (lifecycle hooks, a per-tenant notes API and the migration hooks) as a Hono app: the same
 * code runs in Lambda (`hono/aws-lambda`) and in the dev server. Every route in
 * `APP_ROUTES` authenticates before its handler runs, and every response, refusals and
 * errors included, carries `SECURITY_HEADERS`.
 */
export function createApp(options: AppOptions): Hono {
  const log = options.log ?? jsonLogger;
  const app = new Hono();
  app.use('*', async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(name, value);
  });
  app.use('*', bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json({ error: 'payload too large' }, 413) }));
  const descriptor = options.descriptor;
  if (descriptor) app.get('/atlassian-connect.json', (c) => c.json(descriptor));
  for (const route of options.routes ?? APP_ROUTES) {
    const handler = HANDLERS[`${route.method} ${route.path}`];
    if (!handler) throw new Error(`createApp: route ${route.method} ${route.path} has no handler`);
    app.on(route.method, route.path, async (c) => handler(c, await options.authenticate(c, route), options));
  }
  app.notFound((c) => c.json({ error: 'not found' }, 404));
  app.onError((err, c) => {
    const where = { method: c.req.method, path: c.req.path };
    if (err instanceof AuthError) {
      log({ level: 'warn', event: 'refused', status: err.status, reason: err.reason, ...where });
      return c.json({ error: err.status === 400 ? 'bad request' : 'unauthorized' }, err.status);
    }
    if (err instanceof MigrationRefusal) {
      log({ level: 'warn', event: 'refused', status: err.status, reason: err.message, ...(err.code ? { code: err.code } : {}), ...where });
      return c.json(err.toJSON(), err.status);
    }
    if (err instanceof TenantConflictError) {
      log({ level: 'warn', event: 'refused', status: 409, reason: 'installation held by another clientKey', ...where });
      return c.json({ error: 'conflict' }, 409);
    }
    log({ level: 'error', event: 'error', error: err.name, message: err.message, ...where });
    return c.json({ error: 'internal error' }, 500);
  });
  return app;
}
