import type { JWTVerifyGetKey } from 'jose';
import { AuthError, extractToken, verifyConnectJwt, verifyInstallJwt } from '../connect-auth';
import { extractForgeToken, ForgeInvocationClaims, verifyForgeInvocationToken } from '../connect-auth/forge-invocation-token';
import { AppRequest, requestUrl } from '../http/request';
import { pathFitsRoute } from './match-route';
import { RouteSpec } from './routes';
import type { LiveTenant } from '../tenants/tenant';

/** Who a request was authenticated as. */
export interface AuthContext {
  /** The tenant: Connect `clientKey` (the token's `iss`), or on `forge` routes the Forge installation id. */
  readonly clientKey: string;
  /** The Atlassian account id of the user, when the token names one. */
  readonly accountId?: string;
  /** On `forge` routes: the Forge installation id (the tenant, or mapped to a Connect clientKey inside the realm). */
  readonly installationId?: string;
  /** On `forge` routes: the token's `app.apiBaseUrl`, the site of this request's tenant. */
  readonly site?: string;
  /**
   * The base URL of the tenant's live (installed or disabled) record, which the authenticator
   * read, consistently, to verify this very request's token: the tenant context then reads no
   * record again. Set only by {@link connectAuthenticator} with `tenantFor`.
   */
  readonly liveSite?: string;
}

/** Authenticates one request for one route, or rejects with an {@link AuthError}. */
export type Authenticator = (req: AppRequest, route: RouteSpec) => Promise<AuthContext>;

/** Options of {@link connectAuthenticator}. */
export interface ConnectAuthenticatorOptions {
  /** The tenant's shared secret; undefined for an unknown or uninstalled tenant. Ignored when `tenantFor` is given. */
  readonly secretFor?: (clientKey: string) => Promise<string | undefined>;
  /**
   * The tenant's secret and base URL read together (`TenantStore.liveTenant`): the result then
   * carries `liveSite`, so the request's tenant context need not read the record a second time.
   */
  readonly tenantFor?: (clientKey: string) => Promise<LiveTenant | undefined>;
  /** The realm's base URL (its path is the base path that qsh leaves out). */
  readonly baseUrl?: string;
  /** Clock in milliseconds. @default Date.now */
  readonly now?: () => number;
}

/**
 * HS256 Connect JWT with a qsh for this request; `context-qsh` only on routes declared
 * `auth: 'context'`. Refuses install routes, which only Atlassian's install key may sign, and a
 * request path that is not of the route (behind API Gateway, `event.path` against `event.resource`).
 */
export function connectAuthenticator(options: ConnectAuthenticatorOptions): Authenticator {
  return async (req, route) => {
    if (route.auth === 'install' || route.auth === 'forge') throw new AuthError(`${route.auth} route given to the Connect authenticator`);
    if (!pathFitsRoute(req.path, route.path, options.baseUrl)) throw new AuthError(`path not of the route ${route.path}`);
    let liveSite: string | undefined;
    const { tenantFor } = options;
    const secretFor = tenantFor
      ? async (clientKey: string) => {
          const live = await tenantFor(clientKey);
          liveSite = live?.baseUrl;
          return live?.sharedSecret;
        }
      : options.secretFor;
    if (!secretFor) throw new TypeError('connectAuthenticator needs secretFor or tenantFor');
    const claims = await verifyConnectJwt(extractToken(req), { method: req.method, url: requestUrl(req) }, {
      secretFor,
      allowContextQsh: route.auth === 'context',
      baseUrl: options.baseUrl,
      now: options.now,
    });
    return { clientKey: claims.iss, ...(claims.sub ? { accountId: claims.sub } : {}), ...(liveSite ? { liveSite } : {}) };
  };
}

/** Options of {@link installAuthenticator}. */
export interface InstallAuthenticatorOptions {
  /** Atlassian's public install key (PEM) for a key id. */
  readonly publicKeyFor: (kid: string) => Promise<string>;
  /** Every base URL of the app: Global's and each realm's. */
  readonly audiences: readonly string[];
  /** The realm's base URL (base path for qsh). */
  readonly baseUrl?: string;
  /** Clock in milliseconds. @default Date.now */
  readonly now?: () => number;
}

/**
 * Atlassian's signed install (RS256) for the `installed` and `uninstalled` hooks. The
 * token's `iss` must still be matched against the body's clientKey by the hook itself
 * (an API Gateway authorizer never sees the body).
 */
export function installAuthenticator(options: InstallAuthenticatorOptions): Authenticator {
  return async (req, route) => {
    if (route.auth !== 'install') throw new AuthError('non-install route given to the install authenticator');
    if (!pathFitsRoute(req.path, route.path, options.baseUrl)) throw new AuthError(`path not of the route ${route.path}`);
    const claims = await verifyInstallJwt(extractToken(req), { method: req.method, url: requestUrl(req) }, {
      publicKeyFor: options.publicKeyFor,
      audiences: options.audiences,
      baseUrl: options.baseUrl,
      now: options.now,
    });
    return { clientKey: claims.iss };
  };
}

/** Options of {@link forgeAuthenticator}. */
export interface ForgeAuthenticatorOptions {
  /** The Forge app id (or its ARI): the tokens' required audience. */
  readonly appId: string;
  /** Forge's signing keys (`forgeKeySet()` deployed, a local JWKS in tests and dev). */
  readonly keys: JWTVerifyGetKey;
  /** Clock in milliseconds. @default Date.now */
  readonly now?: () => number;
}

/**
 * A Forge Invocation Token (`Authorization: Bearer`) on routes declared `auth: 'forge'`;
 * the tenant is the token's `app.installationId`. The token is bound to its use: a route
 * with `forgeModules` takes only tokens whose `app.module.key` is one of them, and a
 * `forgeSystemOnly` route (the migration hooks) none that names a user. Refuses every
 * other route, so a Forge token never opens a Connect route.
 */
export function forgeAuthenticator(options: ForgeAuthenticatorOptions): Authenticator {
  return async (req, route) => {
    if (route.auth !== 'forge') throw new AuthError(`${route.auth} route given to the Forge authenticator`);
    const claims = await verifyForgeInvocationToken(extractForgeToken(req), options);
    checkForgeUse(claims, route);
    const installationId = claims.app.installationId;
    return {
      clientKey: installationId,
      installationId,
      ...(claims.principal ? { accountId: claims.principal } : {}),
      ...(claims.app.apiBaseUrl ? { site: claims.app.apiBaseUrl } : {}),
    };
  };
}

/** Refuses a verified token that was minted for another module, or for a user where only Forge may call. */
export function checkForgeUse(claims: ForgeInvocationClaims, route: RouteSpec): void {
  const moduleKey = claims.app.module?.key;
  if (route.forgeModules && !(typeof moduleKey === 'string' && route.forgeModules.includes(moduleKey))) {
    // The module key is the app's own manifest key, not a secret: the log names it.
    throw new AuthError(typeof moduleKey === 'string' ? `module ${JSON.stringify(moduleKey.slice(0, 64))} may not call this route` : 'missing app.module.key');
  }
  if (route.forgeSystemOnly && claims.principal) throw new AuthError('user token on a Forge system route');
}

/** The authenticators of {@link routeAuthenticator}, by route auth. */
export interface RouteAuthenticators {
  /** `connect` and `context` routes. */
  readonly connect: Authenticator;
  /** `install` routes. */
  readonly install: Authenticator;
  /** `forge` routes. @default - refused: the app takes no Forge tokens */
  readonly forge?: Authenticator;
}

/** Dispatches each route to the authenticator its `auth` names. */
export function routeAuthenticator(by: RouteAuthenticators): Authenticator {
  return (req, route) => {
    if (route.auth === 'install') return by.install(req, route);
    if (route.auth !== 'forge') return by.connect(req, route);
    return by.forge ? by.forge(req, route) : Promise.reject(new AuthError('forge route without a Forge authenticator'));
  };
}
