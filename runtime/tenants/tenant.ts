/** The body of a Connect `installed` lifecycle event, as far as the tenant store needs it. */
export interface InstallPayload {
  /** The tenant id. */
  readonly clientKey: string;
  /** The secret that signs the tenant's JWTs. Stored sealed, never logged or returned by `get`. */
  readonly sharedSecret: string;
  /** The product site's base URL. */
  readonly baseUrl: string;
  /** `jira` or `confluence`. */
  readonly productType?: string;
  /** The URL users see, when it differs from `baseUrl`. */
  readonly displayUrl?: string;
  /** The installation's id (an ARI), when Atlassian sends one. */
  readonly installationId?: string;
  /** The site's description (not stored). */
  readonly description?: string;
}

/** A Forge installation, as its invocation tokens name it. */
export interface ForgeInstallation {
  /** The installation id (`app.installationId`, an ARI): the tenant id of a Forge app. */
  readonly installationId: string;
  /** The site's API base URL (`app.apiBaseUrl`). */
  readonly baseUrl: string;
}

/** Where a tenant is in its lifecycle. */
export type TenantState = 'installed' | 'disabled' | 'uninstalled';

/** A tenant as other code may see it: never its shared secret or data key. */
export interface Tenant {
  /** The tenant id. */
  readonly clientKey: string;
  /** The product site's base URL. */
  readonly baseUrl: string;
  /** The URL users see, when it differs from `baseUrl`. */
  readonly displayUrl?: string;
  /** `jira` or `confluence`. */
  readonly productType?: string;
  /** The installation's id, when Atlassian sent one. */
  readonly installationId?: string;
  /** Where the tenant is in its lifecycle. */
  readonly state: TenantState;
  /** When the current installation began (ISO 8601). */
  readonly installedAt: string;
  /** When the tenant was uninstalled (ISO 8601), while it is. */
  readonly uninstalledAt?: string;
  /** When the uninstalled tenant's data key is deleted, crypto-shredding it (ISO 8601). */
  readonly shredAfter?: string;
}

/** What authenticating a Connect token reads of a live (installed or disabled) tenant. */
export interface LiveTenant {
  /** The secret that signs the tenant's JWTs. */
  readonly sharedSecret: string;
  /** The product site's base URL recorded at install. */
  readonly baseUrl: string;
}

/**
 * An install refused because its installation (the `installationId`, else the base URL
 * and product) is already held by another `clientKey`.
 */
export class TenantConflictError extends Error {
  /** The clientKey that asked to install. */
  public readonly clientKey: string;

  constructor(clientKey: string, installation: string) {
    super(`Tenant "${clientKey}" cannot install: installation ${installation} is held by another clientKey`);
    this.name = 'TenantConflictError';
    this.clientKey = clientKey;
  }
}

/**
 * A tenant's data cannot be read or written because it has no usable data key: it was
 * never installed, or it was crypto-shredded (its grace period after uninstall is over).
 */
export class TenantKeyUnavailableError extends Error {
  /** The tenant id. */
  public readonly clientKey: string;

  constructor(clientKey: string) {
    super(`Tenant "${clientKey}" has no data key: it was never installed, or it was crypto-shredded`);
    this.name = 'TenantKeyUnavailableError';
    this.clientKey = clientKey;
  }
}
