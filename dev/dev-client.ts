// The dev client signs Connect tokens with the reference implementation, as a product would.
import { encodeSymmetric } from 'atlassian-jwt';
import { SignJWT, importPKCS8 } from 'jose';
import { computeQsh } from '../runtime/connect-auth';
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
