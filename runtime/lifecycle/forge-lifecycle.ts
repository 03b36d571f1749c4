// zod/mini, as lifecycle-body.ts: small enough for the Lambda bundles.
import * as z from 'zod/mini';
import type { AuthContext } from '../app/authenticate';
import { AuthError } from '../connect-auth/auth-error';
import { parseJsonBody } from '../http/json-body';
import type { TenantStore } from '../tenants';
import type { RealmDirectory } from './hooks';

/** The Forge lifecycle events the remote's lifecycle trigger subscribes to. */
export const FORGE_LIFECYCLE_EVENTS = ['avi:forge:installed:app', 'avi:forge:upgraded:app', 'avi:forge:uninstalled:app'] as const;

/** One of {@link FORGE_LIFECYCLE_EVENTS}. */
export type ForgeLifecycleEvent = (typeof FORGE_LIFECYCLE_EVENTS)[number];

// Forge's payload: `id` is the installation; other fields (app, environment, installerAccountId) are not relied on.
const eventBody = z.object({
  eventType: z.enum(FORGE_LIFECYCLE_EVENTS),
  id: z.optional(z.string().check(z.minLength(1), z.maxLength(512))),
});

/** What a Forge lifecycle event runs on. */
export interface ForgeLifecycleInput {
  /** The realm's tenant store. */
  readonly store: TenantStore;
  /** The verified invocation token: its installation is the tenant, its `app.apiBaseUrl` the site. */
  readonly auth: AuthContext;
  /** The raw JSON body Forge delivered. */
  readonly body: string | undefined;
  /** The tenant directory, updated as for Connect. @default - not updated */
  readonly directory?: RealmDirectory;
}

/**
 * Runs one Forge lifecycle event delivered by a `trigger` module. Forge retries (5 s timeout,
 * up to 4 times), so every event is idempotent and does a few table writes at most:
 * `installed` and `upgraded` register the installation (upgraded repairs a lost install),
 * `uninstalled` starts the grace period before crypto-shredding, as for Connect. The tenant
 * is the token's installation; a body naming another installation is refused.
 * @throws AuthError 400 for a malformed body, 401 for a token without an installation or site
 */
export async function runForgeLifecycleEvent(input: ForgeLifecycleInput): Promise<ForgeLifecycleEvent> {
  const parsed = eventBody.safeParse(parseJsonBody(input.body, 'Forge lifecycle body'));
  if (!parsed.success) throw new AuthError(`Forge lifecycle body: missing or malformed ${[...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(body)'))].join(', ')}`, 400);
  const installationId = input.auth.installationId;
  if (!installationId) throw new AuthError('Forge lifecycle event without a Forge installation');
  if (parsed.data.id !== undefined && parsed.data.id !== installationId) throw new AuthError('Forge lifecycle body names another installation than its token', 400);
  const event = parsed.data.eventType;
  if (event === 'avi:forge:uninstalled:app') {
    const tenant = await input.store.tenantOfInstallation(installationId);
    if (!tenant) return event;
    await input.store.uninstall(tenant);
    if (input.directory && (await input.store.get(tenant))?.state === 'uninstalled') await input.directory.directory.remove(tenant);
    return event;
  }
  if (!input.auth.site) throw new AuthError('Forge lifecycle token without app.apiBaseUrl');
  const known = await input.store.tenantOfInstallation(installationId);
  // Directory first, as for Connect: a failed install then leaves only a route to this realm.
  await input.directory?.directory.setRealm(known ?? installationId, input.directory.realm);
  await input.store.installForge({ installationId, baseUrl: input.auth.site });
  return event;
}
