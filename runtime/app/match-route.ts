import { APP_ROUTES, RouteSpec } from './routes';

/** The route declared for this method and path, if any (paths match exactly, without a trailing slash). */
export function matchRoute(method: string, path: string, routes: readonly RouteSpec[] = APP_ROUTES): RouteSpec | undefined {
  const p = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  const m = method.toUpperCase();
  return routes.find((r) => r.method === m && r.path === p);
}
