import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { AuthError } from '../connect-auth/auth-error';
import { Authenticator } from '../app/authenticate';
import { Logger, jsonLogger } from '../app/logger';
import { matchRoute } from '../app/match-route';
import { RouteSpec } from '../app/routes';
import { AppRequest } from '../http/request';

/** The runtime's view of a REQUEST authorizer event (API Gateway gives it no body). */
export function appRequestOfAuthorizerEvent(event: APIGatewayRequestAuthorizerEvent): AppRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) if (value !== undefined) headers[name.toLowerCase()] = value;
  // API Gateway hands the query over decoded; re-encode it (qsh canonicalization decodes it again).
  const pairs: string[] = [];
  for (const [key, values] of Object.entries(event.multiValueQueryStringParameters ?? {})) {
    for (const value of values ?? []) pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
  }
  return { method: event.httpMethod.toUpperCase(), path: event.path, rawQuery: pairs.join('&'), headers };
}

/**
 * Refuses a request with more than one `Authorization` header: `headers` keeps only the last,
 * so the others would go unseen (and a backend reading the first would see another token).
 */
function refuseRepeatedAuthorization(event: APIGatewayRequestAuthorizerEvent): void {
  let count = 0;
  for (const [name, values] of Object.entries(event.multiValueHeaders ?? {})) if (name.toLowerCase() === 'authorization') count += values?.length ?? 0;
  if (count > 1) throw new AuthError('Authorization header more than once');
}

/**
 * A Lambda REQUEST authorizer over an {@link Authenticator}: Allow for exactly the method
 * called, with the tenant in the context; a repeated `Authorization` header, or a path that is
 * not of the route's resource (the authenticators check that), is refused; any refusal becomes API Gateway's 401 (the
 * gateway response carries the security headers). The reason goes to the log only.
 * `routes` are the routes this authorizer stands in front of (`routeSpecs(app)` filtered by auth):
 * a request for any other route is refused.
 */
export function createAuthorizerHandler(authenticator: Authenticator, log: Logger = jsonLogger, routes: readonly RouteSpec[]) {
  return async (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
    const route = matchRoute(event.httpMethod, event.resource, routes);
    try {
      if (!route) throw new AuthError(`no route ${event.httpMethod} ${event.resource}`);
      refuseRepeatedAuthorization(event);
      const auth = await authenticator(appRequestOfAuthorizerEvent(event), route);
      return {
        principalId: auth.clientKey,
        policyDocument: {
          Version: '2012-10-17',
          Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }],
        },
        // Only strings: API Gateway passes the context on to the app function (gatewayAuthentication).
        context: Object.fromEntries(Object.entries(auth).filter(([, v]) => typeof v === 'string')),
      };
    } catch (err) {
      const reason = err instanceof AuthError ? err.reason : `error: ${(err as Error).name}`;
      log({ level: 'warn', event: 'refused', reason, method: event.httpMethod, path: event.resource });
      // The exact message 'Unauthorized' is what makes API Gateway answer 401.
      throw new Error('Unauthorized');
    }
  };
}
