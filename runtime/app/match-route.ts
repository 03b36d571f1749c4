import { basePathOf } from '../connect-auth/qsh';
import { apiGatewayPath, parseRoutePath } from './route-path';
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

/**
 * Whether the request path as received (`event.path`), less the base path of `baseUrl` when it
 * starts with it and a trailing slash, is a path of the route `routePath` (`/api/items/:id`):
 * the route decides what a token may be (context-qsh), the path what its qsh is checked
 * against, so the two must name the same thing. A parameter is one non-empty segment.
 */
export function pathFitsRoute(path: string, routePath: string, baseUrl?: string): boolean {
  const basePath = basePathOf(baseUrl);
  let p = basePath !== '' && path.startsWith(basePath) ? path.slice(basePath.length) : path;
  if (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
  if (!p.startsWith('/')) p = `/${p}`;
  const segments = p === '/' ? [] : p.slice(1).split('/');
  const route = parseRoutePath(routePath);
  return segments.length === route.length && route.every((s, i) => ('param' in s ? segments[i] !== '' : s.literal === segments[i]));
}
