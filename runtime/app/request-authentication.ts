import { Context } from 'hono';
import { AuthError } from '../connect-auth/auth-error';
import { formBodyTokens } from '../connect-auth/token';
import { AppRequest } from '../http/request';
import { AuthContext, Authenticator } from './authenticate';
import { RequestAuthenticator } from './create-app';

/**
 * In Lambda behind API Gateway: the route's authorizer already verified the token, and
 * API Gateway passes its result in `requestContext.authorizer`. A request without it
 * (which API Gateway never sends) is refused rather than trusted. So is a form body with a
 * `jwt` field: the authorizer never sees the body, so that token would be a second, unchecked one.
 */
export function gatewayAuthentication(): RequestAuthenticator {
  return async (c) => {
    const contentType = c.req.header('content-type');
    if (contentType !== undefined && c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      if (formBodyTokens({ headers: { 'content-type': contentType }, body: await c.req.text() }) !== undefined) {
        throw new AuthError('token in a form body, which the authorizer cannot see');
      }
    }
    const env = c.env as { event?: { requestContext?: { authorizer?: Record<string, unknown> | null } } } | undefined;
    const context = env?.event?.requestContext?.authorizer;
    const clientKey = context?.['clientKey'];
    if (typeof clientKey !== 'string' || clientKey === '') throw new AuthError('no authorizer context');
    const text = (name: string) => (typeof context?.[name] === 'string' && context[name] !== '' ? { [name]: context[name] as string } : {});
    return { clientKey, ...text('accountId'), ...text('installationId'), ...text('site'), ...text('liveSite') };
  };
}

/** In the dev server (or any host without API Gateway): runs the authenticators in process. */
export function inlineAuthentication(authenticator: Authenticator): RequestAuthenticator {
  return async (c, route): Promise<AuthContext> => authenticator(await appRequestOf(c), route);
}

/** The runtime's view of a Hono request: the path and query as received, lower-case headers, the body text. */
export async function appRequestOf(c: Context): Promise<AppRequest> {
  const url = new URL(c.req.url);
  const headers: Record<string, string> = {};
  c.req.raw.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  const hasBody = c.req.method !== 'GET' && c.req.method !== 'HEAD';
  return {
    method: c.req.method.toUpperCase(),
    path: url.pathname,
    rawQuery: url.search.replace(/^\?/, ''),
    headers,
    ...(hasBody ? { body: await c.req.text() } : {}),
  };
}
