/** One call the app function asks the egress function to make (the Lambda payload). */
export interface EgressRequest {
  /** The current tenant's site: the only place the call may go (`tenant.site`). */
  readonly site: string;
  /** Upper-case HTTP method. */
  readonly method: string;
  /** The absolute https URL, under `site`. */
  readonly url: string;
  /** Request headers, `authorization` included (never logged). */
  readonly headers: Readonly<Record<string, string>>;
  /** The request body, base64. */
  readonly body?: string;
}

/** Why a call did not reach the product, or its answer was not taken. */
export type EgressFailure = 'refused' | 'timeout' | 'too-large' | 'unreachable';

/** The egress function's answer: the product's response, or why there is none. */
export type EgressResponse =
  | { readonly status: number; readonly headers: Readonly<Record<string, string>>; readonly body: string }
  | { readonly failure: EgressFailure; readonly reason: string };

/** How the app function reaches the egress path (the egress function over the Lambda endpoint, or in process in tests and dev). */
export interface EgressSender {
  send(request: EgressRequest): Promise<EgressResponse>;
}

/** Largest request body sent (Lambda's synchronous payload is 6 MB, base64 makes 4/3 of it). */
export const MAX_EGRESS_REQUEST_BYTES = 4 * 1024 * 1024;
/** Largest product response taken: what fits a Lambda response as base64. */
export const MAX_EGRESS_RESPONSE_BYTES = 4 * 1024 * 1024;
/** How long one call may take, connection to last byte; under the egress function's 10 s (and the app's 15 s). */
export const EGRESS_DEADLINE_MS = 8000;
