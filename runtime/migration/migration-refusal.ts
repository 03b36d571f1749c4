/**
 * Atlassian's migration error codes: E0001 not scheduled, E0002 target region not supported,
 * E0003 migrations not supported, E0004 too many concurrent migrations, E9999 anything else.
 * A hook answer carrying one makes Atlassian fail the migration and roll it back.
 */
export type MigrationErrorCode = 'E0001' | 'E0002' | 'E0003' | 'E0004' | 'E9999';

/**
 * A migration hook refused. `message` is sent to the caller (it names what was wrong,
 * never a secret or a stored value); `code`, when present, is sent as `errorResponseCode`
 * and ends the migration. Without a code Atlassian retries the hook (twice, 5 s apart).
 */
export class MigrationRefusal extends Error {
  /** The HTTP status to answer with. */
  public readonly status: 400 | 404 | 409 | 429 | 503;
  /** The Atlassian error code, when the refusal is final. */
  public readonly code?: MigrationErrorCode;

  constructor(status: MigrationRefusal['status'], message: string, code?: MigrationErrorCode) {
    super(message);
    this.name = 'MigrationRefusal';
    this.status = status;
    if (code) this.code = code;
  }

  /** The JSON body of the refusal. */
  public toJSON(): { error: string; errorResponseCode?: MigrationErrorCode } {
    return this.code ? { error: this.message, errorResponseCode: this.code } : { error: this.message };
  }
}

/**
 * A permanent problem found while copying or verifying a tenant (the target realm holds
 * another copy, the source key does not open, the copies differ): the migration is
 * marked failed with `code` and its status answers `failed`.
 */
export class MigrationFailure extends Error {
  /** The code the status hook reports. */
  public readonly code: MigrationErrorCode;

  constructor(message: string, code: MigrationErrorCode = 'E9999') {
    super(message);
    this.name = 'MigrationFailure';
    this.code = code;
  }
}
