import { AuthError } from '../connect-auth/auth-error';
import type { TenantDirectory } from '../directory/tenant-directory';
import type { TenantStore } from '../tenants';
import { parseInstalledBody, parseLifecycleBody } from './lifecycle-body';

/** The global tenant directory as one realm writes it: the directory and the realm's name. */
export interface RealmDirectory {
  /** The directory. */
  readonly directory: TenantDirectory;
  /** The realm whose stack runs this code, as the directory records it (`EU`, `Global`, ...). */
  readonly realm: string;
  /**
   * For a stack holding several realms (EU and DE in Frankfurt): the realm of each host name
   * the stack serves (lower case, no port). An install is recorded under the realm of the host
   * Atlassian called, `realm` when the host is not listed.
   * @default - every install is recorded under `realm`
   */
  readonly realmOfHost?: Readonly<Record<string, string>>;
}

/** `directory` with `realm` the realm of `host` (a `Host` header) when its `realmOfHost` lists it. */
export function directoryForHost(directory: RealmDirectory | undefined, host: string | undefined): RealmDirectory | undefined {
  const name = host?.trim().toLowerCase().replace(/:\d+$/, '');
  const realm = name === undefined || !directory?.realmOfHost ? undefined : Object.hasOwn(directory.realmOfHost, name) ? directory.realmOfHost[name] : undefined;
  return realm === undefined ? directory : { ...directory!, realm };
}

/** What a lifecycle hook needs: the app key, the tenant store and who signed the request. */
export interface HookInput {
  /** The app key bodies must name. */
  readonly appKey: string;
  /** The realm's tenant store. */
  readonly store: TenantStore;
  /** The clientKey the request's token was issued by (its `iss`). */
  readonly signedBy: string;
  /** The raw JSON body. */
  readonly body: string | undefined;
  /**
   * The global tenant directory and this realm's name: `installed` records the tenant
   * here, `uninstalled` removes it (after the store has done its part, so a redelivery
   * repairs a directory write that failed).
   * @default - the directory is not updated
   */
  readonly directory?: RealmDirectory;
}

/** The hook names Atlassian calls, each a path under `/lifecycle/`. */
export type LifecycleEvent = 'installed' | 'uninstalled' | 'enabled' | 'disabled';

/**
 * Runs one lifecycle hook. Resolves to the HTTP status to answer with (204), or rejects
 * with an {@link AuthError}: 400 for a malformed body, 401 when the body's clientKey is
 * not the token's issuer; and with the store's `TenantConflictError` when another clientKey
 * already holds the installation.
 */
export async function runLifecycleHook(event: LifecycleEvent, input: HookInput): Promise<204> {
  if (event === 'installed') {
    const body = parseInstalledBody(input.body, input.appKey);
    assertSigner(body.clientKey, input.signedBy);
    // The directory first: an entry whose install then fails only routes the tenant here,
    // where it is refused until the install is retried; a tenant installed but missing from
    // the directory would be sent to Global with nothing to repair it.
    await input.directory?.directory.setRealm(body.clientKey, input.directory.realm);
    await input.store.install({
      clientKey: body.clientKey,
      sharedSecret: body.sharedSecret,
      baseUrl: body.baseUrl,
      displayUrl: body.displayUrl,
      productType: body.productType,
      installationId: body.installationId,
      description: body.description,
    });
    return 204;
  }
  const body = parseLifecycleBody(input.body, input.appKey, event);
  assertSigner(body.clientKey, input.signedBy);
  if (event === 'uninstalled') {
    await input.store.uninstall(body.clientKey);
    // Forget the tenant only if this realm still holds it uninstalled: not after a reinstall
    // that won a race with this hook, nor for a tenant that migrated away (a late uninstall
    // must not remove the new realm's entry).
    if (input.directory && (await input.store.get(body.clientKey))?.state === 'uninstalled') await input.directory.directory.remove(body.clientKey);
  } else await input.store.setEnabled(body.clientKey, event === 'enabled');
  return 204;
}

function assertSigner(clientKey: string, signedBy: string): void {
  if (clientKey !== signedBy) throw new AuthError('lifecycle body clientKey is not the token issuer');
}
