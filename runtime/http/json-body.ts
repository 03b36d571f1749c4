import { AuthError } from '../connect-auth/auth-error';

/**
 * Parses a request body as JSON.
 * @param what names the body in the refusal's log reason
 * @throws AuthError 400 when there is no body or it is not JSON (the text is never echoed)
 */
export function parseJsonBody(body: string | undefined, what: string): unknown {
  try {
    return JSON.parse(body ?? '');
  } catch {
    throw new AuthError(`${what} is not JSON`, 400);
  }
}
