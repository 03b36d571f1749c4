import { LRUCache } from 'lru-cache';
import { AtlassianApi, atlassianApi } from '../atlassian-api/atlassian-api';
import type { EgressSender } from '../atlassian-api/egress-messages';
import { AuthError } from '../connect-auth/auth-error';
import { ObjectStore } from '../migration/object-store';
import { ObjectUrlSigner } from '../objects/object-url-signer';
import { TenantObjects } from '../objects/tenant-objects';
import type { TenantData, TenantStore } from '../tenants';
import { AppLog, appLog } from './app-log';
import { AuthContext } from './authenticate';
import { Logger } from './logger';

/** App secrets by name (`AppSecrets`: Secrets Manager under the app's and realm's prefix). */
export interface SecretSource {
  get(name: string): Promise<string>;
}

/** Everything a vendor handler may reach, for the tenant that made the request. */
export interface TenantContext {
  /** The tenant id: Connect `clientKey`, or on `forge` routes the installation id. */
  readonly id: string;
  /** The realm this request is served in (the tenant's home). */
  readonly realm: string;
  /** The product site: on `forge` routes the token's `app.apiBaseUrl`, else the base URL recorded at install (`https://<site>.atlassian.net`). */
  readonly site: string;
  /** The user's Atlassian account id, when the token names one. */
  readonly principal?: string;
  /** The tenant's items in the realm table, sealed with its data key. */
  readonly data: TenantData;
  /** The tenant's objects in the realm bucket. */
  readonly objects: TenantObjects;
  /** The app's secrets (shared by all tenants of the realm). */
  readonly secrets: SecretSource;
  /** JSON-line log with the tenant and route added. */
  readonly log: AppLog;
  /**
   * Calls to this tenant's Atlassian product (its `site` only), through the realm's egress path:
   * on `forge` routes with the request's OAuth tokens (`asApp()` by default, `asUser()`), else
   * with a Connect JWT signed by the tenant's shared secret. See {@link AtlassianApi}.
   */
  readonly atlassian: AtlassianApi;
}

/** The Forge OAuth tokens that came with a request (`x-forge-oauth-system`, `x-forge-oauth-user`), used for its calls only. */
export interface ForgeOAuthTokens {
  readonly system?: string;
  readonly user?: string;
}

/** One tenant's stores: the seam where per-tenant credentials (an STS session per tenant) plug in. */
export interface TenantStores {
  readonly data: TenantData;
  readonly objects: ObjectStore;
  readonly signer?: ObjectUrlSigner;
}

/** Builds the stores a tenant's handler uses, from the tenant id (the only input a per-tenant session needs). */
export type TenantStoresFor = (tenantId: string) => TenantStores | Promise<TenantStores>;

/** What tenant contexts are made from. */
export interface TenantContextSources {
  /** The realm's name. */
  readonly realm: string;
  /** The tenant records (`site`), and each tenant's data unless `storesFor` gives it. */
  readonly store: Pick<TenantStore, 'get' | 'dataFor' | 'tenantOfInstallation' | 'installForge' | 'sharedSecret' | 'admitObjectWrite'>;
  /** Register a Forge installation the realm does not know on its first call (`defineApp({ forge: { registerOnFirstCall } })`). @default false */
  readonly registerOnFirstCall?: boolean;
  /** The tenant's stores. @default - `store.dataFor(id)` and `objects` */
  readonly storesFor?: TenantStoresFor;
  /** The realm's object store, when `storesFor` is not given. @default - none: `tenant.objects` calls fail */
  readonly objects?: ObjectStore;
  /** Signs presigned URLs for `objects`. @default - none */
  readonly signer?: ObjectUrlSigner;
  /** The app's secrets. @default - none: `tenant.secrets.get` fails */
  readonly secrets?: SecretSource;
  /** Where `tenant.log` writes. */
  readonly log: Logger;
  /** The Atlassian app key (`iss` of Connect calls to the product). @default - Connect calls fail with `no-token` */
  readonly appKey?: string;
  /** The egress path of `tenant.atlassian`. @default - none: calls fail with `not-configured` */
  readonly egress?: EgressSender;
}

/**
 * The tenant context of an authenticated request. The tenant must have a live record in
 * this realm (installed or disabled): a token alone, such as a Forge token for an
 * installation this realm does not hold, reaches no data. The record is read here unless the
 * authenticator read it for this request (`auth.liveSite`, Connect tokens verified with `tenantFor`).
 */
export async function tenantContextOf(sources: TenantContextSources, auth: AuthContext, route: string, forgeTokens: ForgeOAuthTokens = {}): Promise<TenantContext> {
  const { id, recordSite } = await liveTenantOf(sources, auth);
  const stores = sources.storesFor
    ? await sources.storesFor(id)
    : { data: sources.store.dataFor(id), objects: sources.objects ?? NO_OBJECTS, signer: sources.signer };
  const site = auth.site ?? recordSite;
  const appKey = sources.appKey;
  return {
    id,
    realm: sources.realm,
    site,
    ...(auth.accountId ? { principal: auth.accountId } : {}),
    data: stores.data,
    objects: new TenantObjects({
      tenant: id, store: stores.objects, ...(stores.signer ? { signer: stores.signer } : {}),
      admitWrite: (uploadsUntil) => sources.store.admitObjectWrite(id, uploadsUntil),
    }),
    secrets: sources.secrets ?? NO_SECRETS,
    log: appLog(sources.log, id, route),
    atlassian: atlassianApi({
      site,
      egress: sources.egress,
      // A Forge route's tenant calls with the request's tokens, whatever its kind (Connect on Forge too).
      credentials: auth.installationId
        ? { kind: 'forge', ...(forgeTokens.system ? { systemToken: forgeTokens.system } : {}), ...(forgeTokens.user ? { userToken: forgeTokens.user } : {}) }
        : { kind: 'connect', appKey: appKey ?? '', sharedSecret: async () => (appKey ? sources.store.sharedSecret(id) : undefined) },
    }),
  };
}

async function liveSiteOf(sources: TenantContextSources, id: string): Promise<string> {
  const record = await sources.store.get(id);
  if (!record || record.state === 'uninstalled') throw new AuthError('no installed tenant for this token in this realm');
  return record.baseUrl;
}

/**
 * The request's tenant and its live record's site. A Connect token's authenticator has just read
 * the live record to verify it: no second read. A Forge installation's tenant id is remembered
 * briefly per instance ({@link INSTALLATION_MEMORY_MS}); the record itself is read on every
 * request, so an uninstall is seen at once, and a remembered id whose record is gone is looked up
 * afresh before the request is refused.
 */
async function liveTenantOf(sources: TenantContextSources, auth: AuthContext): Promise<{ id: string; recordSite: string }> {
  if (!auth.installationId) return { id: auth.clientKey, recordSite: auth.liveSite ?? (await liveSiteOf(sources, auth.clientKey)) };
  const memory = installationsOf(sources);
  const remembered = memory.get(auth.installationId);
  if (remembered) {
    try {
      return { id: remembered, recordSite: await liveSiteOf(sources, remembered) };
    } catch (err) {
      if (!(err instanceof AuthError)) throw err;
      memory.delete(auth.installationId);
    }
  }
  const id = await forgeTenantOf(sources, auth);
  const recordSite = await liveSiteOf(sources, id);
  memory.set(auth.installationId, id);
  return { id, recordSite };
}

/** How long an instance remembers which tenant a Forge installation is, in ms. */
export const INSTALLATION_MEMORY_MS = 60_000;
const installations = new WeakMap<TenantContextSources, LRUCache<string, string>>();
function installationsOf(sources: TenantContextSources): LRUCache<string, string> {
  let memory = installations.get(sources);
  if (!memory) installations.set(sources, (memory = new LRUCache({ max: 10_000, ttl: INSTALLATION_MEMORY_MS })));
  return memory;
}

/** The tenant id of a request: a Forge installation is looked up in the realm's table (registered first when the app allows it). */
async function forgeTenantOf(sources: TenantContextSources, auth: AuthContext): Promise<string> {
  if (!auth.installationId) return auth.clientKey;
  const known = await sources.store.tenantOfInstallation(auth.installationId);
  if (known) return known;
  if (!sources.registerOnFirstCall) throw new AuthError('Forge installation not registered in this realm (no installed event)');
  if (!auth.site) throw new AuthError('Forge token without app.apiBaseUrl cannot register its installation');
  return (await sources.store.installForge({ installationId: auth.installationId, baseUrl: auth.site })).clientKey;
}

const unavailable = (what: string) => () => Promise.reject(new Error(`${what} is not configured for this app host`));
const NO_OBJECTS: ObjectStore = { list: unavailable('tenant.objects'), get: unavailable('tenant.objects'), put: unavailable('tenant.objects'), delete: unavailable('tenant.objects') };
const NO_SECRETS: SecretSource = { get: unavailable('tenant.secrets') };
