/**
 * The product answered 403: the app, or the user it acts for, may not do this. For a user
 * (`asUser()`) the app's scopes intersect that user's own permissions, so it is often the
 * user's. Unhandled in a route, the caller gets 403 `{"error":"forbidden by the product"}`.
 */
export class AtlassianPermissionError extends Error {
  /** Always 403. */
  public readonly status = 403;
  /** The method and path (no query) that were refused. */
  public readonly request: string;

  constructor(method: string, path: string) {
    super(`The Atlassian product refused ${method} ${path} (403): the app or the user lacks permission`);
    this.name = 'AtlassianPermissionError';
    this.request = `${method} ${path}`;
  }
}

/** Why a call to Atlassian was not made or not completed (see {@link AtlassianEgressError.failure}). */
export type AtlassianCallFailure = 'refused' | 'timeout' | 'too-large' | 'unreachable' | 'no-token' | 'not-configured';

/**
 * A call that did not reach the product, or whose answer was not taken: the target is not the
 * tenant's site or not an Atlassian API host over https (`refused`), no complete answer in time
 * (`timeout`), an answer over the size cap (`too-large`), no connection (`unreachable`), no
 * token for it on this request (`no-token`), or no egress path on this host (`not-configured`).
 * Unhandled in a route, the caller gets 502 `{"error":"Atlassian call failed"}`.
 */
export class AtlassianEgressError extends Error {
  /** What went wrong. */
  public readonly failure: AtlassianCallFailure;

  constructor(failure: AtlassianCallFailure, reason: string) {
    super(`Atlassian call ${failure}: ${reason}`);
    this.name = 'AtlassianEgressError';
    this.failure = failure;
  }
}
