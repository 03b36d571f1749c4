import { Context } from 'hono';
import { parseJsonBody } from '../http/json-body';
import type { BodySchema } from './define-app';

/** The request a vendor handler gets: tokens are taken out, so vendor code cannot log or forward them. */
export interface RouteRequest<B = unknown> {
  /** Upper-case method. */
  readonly method: string;
  /** The path as received. */
  readonly path: string;
  /** The path's `:name` parameters. */
  readonly params: Readonly<Record<string, string>>;
  /** The query, without the `jwt` parameter. */
  readonly query: URLSearchParams;
  /** Lower-case headers, without `authorization`, `cookie` and Forge's `x-forge-oauth-*` tokens. */
  readonly headers: Readonly<Record<string, string>>;
  /** The JSON body as the route's `body` schema parsed it; `undefined` on routes without one. */
  readonly body: B;
  /** The body text (on routes without a schema too), when the request has one. */
  readonly rawBody?: string;
}

/** A body that failed its route's schema: answered 400 with where and what, never the body itself. */
export class BodyValidationError extends Error {
  /** Each problem: its JSON path (`$.items[0].name`) and message. */
  public readonly issues: readonly { readonly path: string; readonly message: string }[];

  constructor(issues: readonly { readonly path: string; readonly message: string }[]) {
    super(`body failed its schema at ${issues.map((i) => i.path).join(', ')}`);
    this.name = 'BodyValidationError';
    this.issues = issues;
  }
}

const HIDDEN_HEADERS = /^(authorization|cookie|x-forge-oauth-.*)$/;

/** The handler's view of a Hono request, its body checked against `schema` when there is one. */
export async function routeRequestOf<B>(c: Context, schema: BodySchema<B> | undefined): Promise<RouteRequest<B>> {
  const url = new URL(c.req.url);
  url.searchParams.delete('jwt');
  const headers: Record<string, string> = {};
  c.req.raw.headers.forEach((value, name) => {
    if (!HIDDEN_HEADERS.test(name.toLowerCase())) headers[name.toLowerCase()] = value;
  });
  const rawBody = c.req.method === 'GET' || c.req.method === 'HEAD' ? undefined : await c.req.text();
  return {
    method: c.req.method.toUpperCase(),
    path: url.pathname,
    params: c.req.param() as Record<string, string>,
    query: url.searchParams,
    headers,
    body: (schema ? checkBody(schema, rawBody) : undefined) as B,
    ...(rawBody === undefined ? {} : { rawBody }),
  };
}

function checkBody<B>(schema: BodySchema<B>, rawBody: string | undefined): B {
  const parsed = schema.safeParse(parseJsonBody(rawBody, 'request body'));
  if (parsed.success) return parsed.data;
  throw new BodyValidationError(parsed.error.issues.slice(0, 20).map((i) => ({ path: jsonPath(i.path), message: i.message.slice(0, 200) })));
}

function jsonPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((p, k) => (typeof k === 'number' ? `${p}[${k}]` : /^[A-Za-z_$][\w$]*$/.test(String(k)) ? `${p}.${String(k)}` : `${p}[${JSON.stringify(String(k))}]`), '$');
}
