import { Context } from 'hono';
import { AtlassianEgressError, AtlassianPermissionError } from '../atlassian-api/errors';
import { AuthError } from '../connect-auth/auth-error';
import { MigrationRefusal } from '../migration/migration-refusal';
import { ConflictError, InvalidCursorError, ItemTooLargeError, TenantConflictError } from '../tenants';
import { TenantFrozenError } from '../tenants/data-errors';
import { TenantSessionError } from '../tenants/tenant-sessions';
import { Logger } from './logger';
import { HttpError } from './responses';
import { BodyValidationError } from './route-request';

/**
 * The JSON answer to an error thrown while serving a request. Refusals say only what the
 * caller may know; anything unexpected is a bare 500, its name and message in the log
 * and never a stack trace in the response.
 */
export function errorResponse(err: Error, c: Context, log: Logger): Response {
  const where = { method: c.req.method, path: c.req.path };
  const refuse = (status: 400 | 401 | 404 | 409 | 413, body: object, reason: string, extra: object = {}) => {
    log({ level: 'warn', event: 'refused', status, reason, ...extra, ...where });
    return c.json(body, status);
  };
  if (err instanceof AuthError) return refuse(err.status, { error: err.status === 400 ? 'bad request' : 'unauthorized' }, err.reason);
  if (err instanceof BodyValidationError) return refuse(400, { error: 'bad request', issues: err.issues }, err.message);
  if (err instanceof MigrationRefusal) {
    log({ level: 'warn', event: 'refused', status: err.status, reason: err.message, ...(err.code ? { code: err.code } : {}), ...where });
    return c.json(err.toJSON(), err.status);
  }
  if (err instanceof TenantConflictError) return refuse(409, { error: 'conflict' }, 'installation held by another clientKey');
  if (err instanceof ConflictError) return refuse(409, { error: 'conflict', id: err.id }, err.message);
  if (err instanceof ItemTooLargeError) return refuse(413, { error: 'payload too large', id: err.id }, err.message);
  if (err instanceof TenantFrozenError) {
    log({ level: 'warn', event: 'refused', status: 503, reason: err.message, ...where });
    c.header('Retry-After', String(err.retryAfterSeconds));
    return c.json({ error: 'tenant is being migrated' }, 503);
  }
  if (err instanceof InvalidCursorError) return refuse(400, { error: 'bad request', reason: 'invalid cursor' }, err.message);
  if (err instanceof TenantSessionError) {
    // Fail closed: no session, no data call (the function's own role has no data permission to fall back on).
    log({ level: 'error', event: 'tenant-session', status: 503, error: err.message, ...where });
    return c.json({ error: 'service unavailable' }, 503);
  }
  if (err instanceof AtlassianPermissionError) {
    log({ level: 'warn', event: 'product-refused', status: 403, reason: err.message, ...where });
    return c.json({ error: 'forbidden by the product' }, 403);
  }
  if (err instanceof AtlassianEgressError) {
    log({ level: 'error', event: 'atlassian-call', status: 502, failure: err.failure, reason: err.message, ...where });
    return c.json({ error: 'Atlassian call failed' }, 502);
  }
  if (err instanceof HttpError) {
    log({ level: 'warn', event: 'refused', status: err.status, reason: err.message, ...where });
    return c.json({ error: err.message }, err.status as 400);
  }
  log({ level: 'error', event: 'error', error: err.name, message: err.message, ...where });
  return c.json({ error: 'internal error' }, 500);
}
