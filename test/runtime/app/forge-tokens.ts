import { RequestAuthenticator, connectAuthenticator, forgeAuthenticator, inlineAuthentication, routeAuthenticator } from '../../../runtime/app';
import { FORGE_MIGRATION_MODULE_KEY } from '../../../runtime/app/routes';
import { AuthError } from '../../../runtime/connect-auth';
import { createLocalJWKSet, exportJWK, generateKeyPair, JWTVerifyGetKey, SignJWT } from 'jose';

/** A Forge app id and its ARI, as the invocation tokens name them. */
export const FORGE_APP_ID = '7b3f5c1e-1d2a-4c5b-9e8f-0a1b2c3d4e5f';
export const FORGE_APP_ARI = `ari:cloud:ecosystem::app/${FORGE_APP_ID}`;
/** The API base URL the tokens name by default. */
export const FORGE_API_BASE_URL = 'https://api.atlassian.com/ex/jira/site-cloud-id';

/** A local stand-in for Forge's signing key and JWKS (generated per test run, never fetched). */
export interface ForgeSigner {
  /** The key set to verify with (what `forgeKeySet()` fetches when deployed). */
  readonly keys: JWTVerifyGetKey;
  /**
   * A Forge Invocation Token for `installationId`, with claims overridden as given; its
   * `app.module.key` is the migration module's unless `module` names another ('' for none).
   */
  token(installationId: string, overrides?: { iss?: string; aud?: string; expiresIn?: string | number; app?: object; kid?: string; principal?: string; module?: string; apiBaseUrl?: string }): Promise<string>;
}

/** Generates an RS256 key pair and a JWKS holding its public half under `kid`. */
export async function forgeSigner(kid = 'forge-test-key'): Promise<ForgeSigner> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return {
    keys: createLocalJWKSet({ keys: [jwk] }),
    token: async (installationId, o = {}) => {
      const moduleKey = o.module ?? FORGE_MIGRATION_MODULE_KEY;
      const app = o.app ?? { id: FORGE_APP_ARI, installationId, apiBaseUrl: o.apiBaseUrl ?? FORGE_API_BASE_URL, ...(moduleKey ? { module: { key: moduleKey } } : {}) };
      const jwt = new SignJWT({ app, context: { cloudId: 'site-cloud-id' }, ...(o.principal ? { principal: o.principal } : {}) })
        .setProtectedHeader({ alg: 'RS256', kid: o.kid ?? kid })
        .setIssuedAt()
        .setExpirationTime(o.expiresIn ?? '5m');
      if (o.iss !== '') jwt.setIssuer(o.iss ?? 'forge/invocation-token');
      if (o.aud !== '') jwt.setAudience(o.aud ?? FORGE_APP_ARI);
      return jwt.sign(privateKey);
    },
  };
}

/**
 * A realm's authentication for tests that take no Connect install: Connect JWTs verified with the
 * shared secrets `secretFor` gives, Forge Invocation Tokens with `signer`'s key set.
 */
export function forgeTestAuthentication(secretFor: (clientKey: string) => Promise<string | undefined>, signer: ForgeSigner): RequestAuthenticator {
  return inlineAuthentication(
    routeAuthenticator({
      connect: connectAuthenticator({ secretFor }),
      install: async () => {
        throw new AuthError('no Connect installs here');
      },
      forge: forgeAuthenticator({ appId: FORGE_APP_ID, keys: signer.keys }),
    }),
  );
}
