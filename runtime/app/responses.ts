/** An HTML response (Connect pages and panels), `status` 200 unless given. */
export function html(markup: string, status = 200): Response {
  return new Response(markup, { status, headers: { 'content-type': 'text/html; charset=utf-8' } });
}

/** A JSON response with a status other than 200 (return a plain value for 200). */
export function json(value: unknown, status = 200): Response {
  return new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });
}

/** A handler error with a status and a message the caller may see, such as `new HttpError(404, 'no such item')`. */
export class HttpError extends Error {
  /** A 4xx status. */
  public readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    if (!Number.isInteger(status) || status < 400 || status > 499) throw new RangeError(`HttpError takes a 4xx status, got ${status}`);
    this.name = 'HttpError';
    this.status = status;
  }
}

/** A handler's result as a response: a `Response` as is, `undefined` as 204, anything else as JSON. */
export function toResponse(result: unknown): Response {
  if (result instanceof Response) return result;
  if (result === undefined) return new Response(null, { status: 204 });
  return json(result);
}
