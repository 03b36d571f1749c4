/**
 * A refused request. `status` is the HTTP status to answer with (401, or 400 for a
 * malformed body); `reason` says why, for logs only: it is never sent to the caller,
 * whose response says only "unauthorized" so it teaches an attacker nothing.
 */
export class AuthError extends Error {
  /** The HTTP status to answer with. */
  public readonly status: 400 | 401;
  /** Why the request was refused, for the log. */
  public readonly reason: string;

  constructor(reason: string, status: 400 | 401 = 401) {
    super(reason);
    this.name = 'AuthError';
    this.status = status;
    this.reason = reason;
  }
}
