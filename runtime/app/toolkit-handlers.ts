import { Context } from 'hono';
import { AuthError } from '../connect-auth/auth-error';
import { runForgeLifecycleEvent } from '../lifecycle/forge-lifecycle';
import { directoryForHost, LifecycleEvent, RealmDirectory, runLifecycleHook } from '../lifecycle/hooks';
import { MIGRATION_HOOK_NAMES, MigrationHookName, MigrationHooks, runMigrationHook } from '../migration/migration-hooks';
import { TenantStore } from '../tenants';
import { AuthContext } from './authenticate';
import { FORGE_LIFECYCLE_PATH, FORGE_MIGRATION_HOOK_PATH, LIFECYCLE_PATH, MIGRATION_HOOK_PATH } from './routes';

/** What the toolkit's own hooks run on. */
export interface ToolkitHookOptions {
  readonly appKey: string;
  readonly store: TenantStore;
  readonly migration?: MigrationHooks;
  readonly directory?: RealmDirectory;
}

/** A toolkit route's handler, after authentication. */
export type ToolkitHandler = (c: Context, auth: AuthContext, options: ToolkitHookOptions) => Promise<Response>;

const lifecycle = (event: LifecycleEvent): ToolkitHandler => async (c, auth, o) => {
  const directory = directoryForHost(o.directory, c.req.header('host'));
  await runLifecycleHook(event, { appKey: o.appKey, store: o.store, signedBy: auth.clientKey, body: await c.req.text(), directory });
  return c.body(null, 204);
};

/** The tenant a request is for: a Forge installation maps to its tenant inside the realm (Connect-on-Forge: the clientKey). */
export async function tenantIdOf(auth: AuthContext, store: Pick<TenantStore, 'tenantOfInstallation'>): Promise<string | undefined> {
  return auth.installationId ? store.tenantOfInstallation(auth.installationId) : auth.clientKey;
}

const forgeLifecycle: ToolkitHandler = async (c, auth, o) => {
  await runForgeLifecycleEvent({ store: o.store, auth, body: await c.req.text(), directory: directoryForHost(o.directory, c.req.header('host')) });
  // Forge wants a JSON answer from a remote.
  return c.json({}, 200);
};

const migration = (hook: MigrationHookName): ToolkitHandler => async (c, auth, o) => {
  const tenant = await tenantIdOf(auth, o.store);
  if (!tenant) throw new AuthError('no tenant holds this Forge installation in this realm');
  const input = hook === 'status' ? { tenant, migrationIds: c.req.queries('migrationId') } : { tenant, body: await c.req.text() };
  const answer = await runMigrationHook(hook, o.migration, input);
  return answer.status === 200 ? c.json(answer.body, 200) : c.body(null, 204);
};

/** The handler of every route in `TOOLKIT_ROUTES` and `FORGE_APP_ROUTES`, by `METHOD path`. */
export const TOOLKIT_HANDLERS: Readonly<Record<string, ToolkitHandler>> = {
  ...Object.fromEntries((['installed', 'uninstalled', 'enabled', 'disabled'] as const).map((e) => [`POST ${LIFECYCLE_PATH}/${e}`, lifecycle(e)])),
  [`POST ${FORGE_LIFECYCLE_PATH}`]: forgeLifecycle,
  ...Object.fromEntries(
    [MIGRATION_HOOK_PATH, FORGE_MIGRATION_HOOK_PATH].flatMap((base) => MIGRATION_HOOK_NAMES.map((hook) => [`${hook === 'status' ? 'GET' : 'POST'} ${base}/${hook}`, migration(hook)])),
  ),
};
