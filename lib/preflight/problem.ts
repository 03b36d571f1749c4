/** The checks `preflight` runs, as they are named in its output. */
export type PreflightCheck =
  | 'account'
  | 'lambda-concurrency'
  | 'bootstrap'
  | 'hosted-zone'
  | 'availability-zones'
  | 'endpoint-services'
  | 'edge'
  | 'fixed-names';

/** One reason the account cannot take the assembly as it is. */
export interface PreflightProblem {
  /** The region it concerns (`global` for Route 53 and CloudFront, which have none). */
  readonly region: string;
  /** The check that found it. */
  readonly check: PreflightCheck;
  /** What the account has. */
  readonly found: string;
  /** What the deployment needs. */
  readonly expected: string;
  /** How to fix it. */
  readonly fix: string;
}

/** Preflight cannot run at all: no credentials, or no usable assembly. The message is one line. */
export class PreflightError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PreflightError';
  }
}

/** `<region> <check>: found X; expected Y (how to fix)`. */
export function formatProblem(p: PreflightProblem): string {
  return `${p.region} ${p.check}: found ${p.found}; expected ${p.expected} (${p.fix})`;
}

/** The answer of one AWS read, or the problem that it could not be made. */
export type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: PreflightProblem };

const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedException', 'AuthorizationError']);

/**
 * Makes one AWS read; a refusal becomes a problem naming the permission (`action`), any other
 * failure a problem quoting the error, so one missing permission never hides the other checks.
 */
export async function read<T>(region: string, check: PreflightCheck, action: string, call: () => Promise<T>): Promise<Read<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (e) {
    const name = errorName(e);
    if (ACCESS_DENIED.has(name)) {
      return { ok: false, problem: { region, check, found: `access denied to ${action}`, expected: 'read access', fix: `allow ${action} to the caller` } };
    }
    return { ok: false, problem: { region, check, found: `${action} failed (${name}: ${firstLine(e)})`, expected: 'an answer', fix: 'check the region is enabled for the account and retry' } };
  }
}

/** Turns the named "not found" errors of an expected absence into `undefined`. */
export function absentOn(...names: string[]): (e: unknown) => undefined {
  return (e) => {
    if (names.includes(errorName(e))) return undefined;
    throw e;
  };
}

/** The SDK's error name (`ParameterNotFound`, `AccessDeniedException`, ...). */
export function errorName(e: unknown): string {
  return String((e as { name?: unknown })?.name ?? 'Error');
}

export function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0]!;
}
