// The dev client signs Connect tokens with the reference implementation, as a product would,
// and Forge Invocation Tokens with the dev Forge key, as Forge would.
import { encodeSymmetric } from 'atlassian-jwt';
import { SignJWT, importPKCS8 } from 'jose';
import { computeQsh, FORGE_INVOCATION_ISSUER } from '../runtime/connect-auth';
import { DevForgeKey } from './dev-forge-key';
import { DevInstallKey } from './dev-install-key';

/** A fake tenant: what Atlassian would send in the `installed` body. */
export interface DevTenant {
  readonly clientKey: string;
  readonly sharedSecret: string;
  readonly baseUrl: string;
}

/** Atlassian's signed install token for `method path` on the app at `appBaseUrl`, signed with the dev install key. */
export async function signInstallToken(key: DevInstallKey, tenant: DevTenant, appBaseUrl: string, method: string, path: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ qsh: computeQsh(method, path) })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
    .setIssuer(tenant.clientKey)
    .setAudience(appBaseUrl)
    .setIssuedAt(now)
    .setExpirationTime(now + 180)
    .sign(await importPKCS8(key.privatePem, 'RS256'));
}

/** A product-to-app HS256 token for `method url` (path and query), as Jira or Confluence makes it. */
export function connectToken(tenant: DevTenant, method: string, url: string, extra: Record<string, unknown> = {}): string {
  const now = Math.floor(Date.now() / 1000);
  return encodeSymmetric({ iss: tenant.clientKey, iat: now, exp: now + 180, qsh: computeQsh(method, url), ...extra }, tenant.sharedSecret);
}

/** The `installed` hook body Atlassian would send for `tenant`. */
export function installedBody(appKey: string, tenant: DevTenant): string {
  return JSON.stringify({
    key: appKey,
    clientKey: tenant.clientKey,
    sharedSecret: tenant.sharedSecret,
    baseUrl: tenant.baseUrl,
    productType: 'jira',
    description: 'cdk-residency dev tenant',
    eventType: 'installed',
  });
}

/** A fake Forge installation: what Forge's invocation tokens name. */
export interface DevForgeInstallation {
  /** `ari:cloud:ecosystem::installation/<uuid>`. */
  readonly installationId: string;
  /** The site's API base URL (`app.apiBaseUrl`). */
  readonly apiBaseUrl: string;
  /** The site's cloud id (`context.cloudId`). */
  readonly cloudId: string;
}

/** What one invocation says beyond its installation. */
export interface DevInvocation {
  /** The manifest module that invoked the remote (`app.module.key`). */
  readonly moduleKey: string;
  /** The user's account id, when a user invoked it. @default - none (a system invocation) */
  readonly principal?: string;
  /** Seconds the token is valid; negative for an expired one. @default 300 */
  readonly expiresIn?: number;
  /** Another audience (the ARI of another app), for probes. @default the dev app's ARI */
  readonly aud?: string;
}

/**
 * A Forge Invocation Token for `installation`, signed with the dev Forge key: RS256 under its
 * `kid`, `iss` `forge/invocation-token`, `aud` the app's ARI, and the `app` claims Forge sends
 * (`id`, `installationId`, `apiBaseUrl`, `environment`, `module.key`), `context.cloudId` and
 * `principal` when a user invoked the module.
 */
export async function forgeInvocationToken(key: DevForgeKey, installation: DevForgeInstallation, invocation: DevInvocation): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const expiresIn = invocation.expiresIn ?? 300;
  return new SignJWT({
    app: {
      id: key.appAri,
      installationId: installation.installationId,
      apiBaseUrl: installation.apiBaseUrl,
      environment: { type: 'DEVELOPMENT', id: key.environmentId },
      module: { key: invocation.moduleKey },
    },
    context: { cloudId: installation.cloudId },
    ...(invocation.principal ? { principal: invocation.principal } : {}),
  })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
    .setIssuer(FORGE_INVOCATION_ISSUER)
    .setAudience(invocation.aud ?? key.appAri)
    .setIssuedAt(Math.min(now, now + expiresIn - 60))
    .setExpirationTime(now + expiresIn)
    .sign(await importPKCS8(key.privatePem, 'RS256'));
}

/** The body Forge's lifecycle trigger delivers for `eventType` on `installation`. */
export function forgeLifecycleBody(eventType: 'avi:forge:installed:app' | 'avi:forge:upgraded:app' | 'avi:forge:uninstalled:app', installation: DevForgeInstallation): string {
  return JSON.stringify({ eventType, id: installation.installationId, context: { cloudId: installation.cloudId } });
}
