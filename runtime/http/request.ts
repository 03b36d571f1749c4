/**
 * An HTTP request as the runtime sees it, independent of where it came from
 * (API Gateway, an authorizer event, the dev server).
 */
export interface AppRequest {
  /** Upper-case method, such as `GET`. */
  readonly method: string;
  /** The path as received, without the query string (it may include the app's base path). */
  readonly path: string;
  /** The query string as received, without the leading `?` (empty when there is none). */
  readonly rawQuery: string;
  /** Headers with lower-case names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The raw body text, when the request has one and it was read. */
  readonly body?: string;
}

/** The request path and query (`/path?query`), the `url` that qsh is computed over. */
export function requestUrl(req: Pick<AppRequest, 'path' | 'rawQuery'>): string {
  return req.rawQuery === '' ? req.path : `${req.path}?${req.rawQuery}`;
}
