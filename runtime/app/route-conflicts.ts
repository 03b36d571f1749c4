import { AppDefinitionError } from './app-definition-error';
import { pathsOverlap, reachesUnder, sameShape } from './route-path';
import { DESCRIPTOR_PATH, FORGE_APP_ROUTES, RouteSpec, TOOLKIT_PATH_PREFIXES, TOOLKIT_ROUTES } from './routes';

// Every route the toolkit may serve next to a vendor's, the dev server's descriptor included.
const TOOLKIT_OWN: readonly RouteSpec[] = [...TOOLKIT_ROUTES, ...FORGE_APP_ROUTES, { method: 'GET', path: DESCRIPTOR_PATH, auth: 'connect' }];

const name = (r: Pick<RouteSpec, 'method' | 'path'>) => `${r.method} ${r.path}`;

/**
 * Refuses vendor routes that would shadow the toolkit's (the same method on a path that
 * matches the same requests, or any route reaching below a toolkit prefix) and vendor
 * routes that duplicate each other (same method, same path up to parameter names).
 */
export function checkRouteConflicts(routes: readonly Pick<RouteSpec, 'method' | 'path'>[]): void {
  routes.forEach((route, i) => {
    const clash = TOOLKIT_OWN.find((t) => t.method === route.method && pathsOverlap(t.path, route.path));
    if (clash) throw new AppDefinitionError(`route ${name(route)} clashes with the toolkit's route ${name(clash)}: lifecycle, migration and descriptor routes are the toolkit's own`);
    const prefix = TOOLKIT_PATH_PREFIXES.find((p) => reachesUnder(route.path, p));
    if (prefix !== undefined) {
      const owner = TOOLKIT_OWN.find((t) => reachesUnder(t.path, prefix))!;
      throw new AppDefinitionError(`route ${name(route)} reaches under ${prefix}, where the toolkit's routes live (such as ${name(owner)}); pick another path`);
    }
    const twin = routes.slice(0, i).find((r) => r.method === route.method && sameShape(r.path, route.path));
    if (twin) throw new AppDefinitionError(`route ${name(route)} duplicates route ${name(twin)}`);
  });
}
