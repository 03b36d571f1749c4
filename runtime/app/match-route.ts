import { apiGatewayPath } from './route-path';
import { RouteSpec } from './routes';

/**
 * The route of `routes` declared for this method and API Gateway resource path (`/api/items/{id}` for
 * the route `/api/items/:id`), if any; paths match exactly, without a trailing slash.
 */
export function matchRoute(method: string, resource: string, routes: readonly RouteSpec[]): RouteSpec | undefined {
  const p = resource.length > 1 && resource.endsWith('/') ? resource.slice(0, -1) : resource;
  const m = method.toUpperCase();
  return routes.find((r) => r.method === m && apiGatewayPath(r.path) === p);
}
