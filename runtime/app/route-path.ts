import { AppDefinitionError } from './app-definition-error';

/** One segment of a route path: a literal, or a `:name` parameter. */
export type PathSegment = { readonly literal: string } | { readonly param: string };

const LITERAL = /^[A-Za-z0-9._~-]+$/;
const PARAM = /^:([A-Za-z_][A-Za-z0-9_]*)$/;

/**
 * The segments of a route path in the subset of Hono's syntax that API Gateway resources
 * can express: literal segments and `:name` parameters (no regexes, optional parts or wildcards).
 */
export function parseRoutePath(path: string): PathSegment[] {
  if (typeof path !== 'string' || !path.startsWith('/')) throw new AppDefinitionError(`route path ${JSON.stringify(path)} must start with "/"`);
  if (path === '/') return [];
  const parts = path.slice(1).split('/');
  const names = new Set<string>();
  return parts.map((part) => {
    const param = PARAM.exec(part)?.[1];
    if (param !== undefined) {
      if (names.has(param)) throw new AppDefinitionError(`route path ${path} names the parameter :${param} twice`);
      names.add(param);
      return { param };
    }
    if (!LITERAL.test(part)) {
      throw new AppDefinitionError(`route path ${path} has the segment ${JSON.stringify(part)}; expected letters, digits, . _ ~ - or a :name parameter (API Gateway resources allow no other forms)`);
    }
    return { literal: part };
  });
}

/** The API Gateway resource path of a route path: `/api/items/:id` is `/api/items/{id}`. */
export function apiGatewayPath(path: string): string {
  return `/${parseRoutePath(path).map((s) => ('param' in s ? `{${s.param}}` : s.literal)).join('/')}`;
}

/** Whether some request path matches both route paths (a parameter matches any one segment). */
export function pathsOverlap(a: string, b: string): boolean {
  const [x, y] = [parseRoutePath(a), parseRoutePath(b)];
  return x.length === y.length && x.every((s, i) => 'param' in s || 'param' in y[i]! || s.literal === (y[i] as { literal: string }).literal);
}

/** Whether some request path that `path` matches lies at or below `prefix` (a literal path such as `/migration`). */
export function reachesUnder(path: string, prefix: string): boolean {
  const [x, p] = [parseRoutePath(path), parseRoutePath(prefix)];
  return x.length >= p.length && p.every((s, i) => 'param' in x[i]! || (x[i] as { literal: string }).literal === (s as { literal: string }).literal);
}

/** Whether two route paths have the same shape (they differ at most in parameter names). */
export function sameShape(a: string, b: string): boolean {
  return apiGatewayShape(a) === apiGatewayShape(b);
}

/** Orders paths so a literal segment comes before a parameter at the first place they differ, as API Gateway prefers it. */
export function bySpecificity(a: string, b: string): number {
  const [x, y] = [parseRoutePath(a), parseRoutePath(b)];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const rank = Number('param' in x[i]!) - Number('param' in y[i]!);
    if (rank !== 0) return rank;
  }
  return 0;
}

function apiGatewayShape(path: string): string {
  return parseRoutePath(path).map((s) => ('param' in s ? '{}' : s.literal)).join('/');
}
