import { S3Client } from '@aws-sdk/client-s3';
import { Hono } from 'hono';
import { DevTenant, connectToken } from '../../dev/dev-client';
import { AppOptions, LogEntry, ResidentApp, connectAuthenticator, createApp, inlineAuthentication, routeAuthenticator } from '../../runtime/app';
import { AuthError } from '../../runtime/connect-auth';
import { S3ObjectUrlSigner } from '../../runtime/objects';
import { DynamoTenantStore, InstallPayload } from '../../runtime/tenants';

/** A presigner for the bucket `realm-eu-data` with fixed, fake credentials: SigV4 signing runs offline. */
export const testSigner = () =>
  new S3ObjectUrlSigner({
    bucketName: 'realm-eu-data',
    client: new S3Client({ region: 'eu-central-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-secret' } }),
  });

/** `app` on `store` with inline Connect authentication (real HS256 + qsh checks); installs go through `store.install`. */
export function hostApp(app: ResidentApp, store: DynamoTenantStore, more: Partial<AppOptions> & { logs?: LogEntry[] } = {}): Hono {
  const { logs, ...options } = more;
  return createApp({
    app,
    realm: 'EU',
    appKey: 'com.example.app',
    store,
    log: (e) => void logs?.push(e),
    authenticate: inlineAuthentication(
      routeAuthenticator({
        connect: connectAuthenticator({ secretFor: (k) => store.sharedSecret(k) }),
        install: async () => {
          throw new AuthError('installs go through the store in these tests');
        },
      }),
    ),
    ...options,
  });
}

/** The dev tenant of an install payload. */
export const devTenant = (p: InstallPayload): DevTenant => ({ clientKey: p.clientKey, sharedSecret: p.sharedSecret, baseUrl: p.baseUrl });

/** Calls `method url` as the product would for `tenant` (HS256, real qsh), with an optional JSON body. */
export function call(hono: Hono, tenant: DevTenant, method: string, url: string, body?: unknown, claims: Record<string, unknown> = {}): Promise<Response> {
  return Promise.resolve(
    hono.request(url, {
      method,
      headers: { authorization: `JWT ${connectToken(tenant, method, url, claims)}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    }),
  );
}
