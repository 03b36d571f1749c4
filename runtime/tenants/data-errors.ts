/**
 * A conditional write of tenant data did not hold: `ifAbsent` found an item, or
 * `ifVersion` found another version (or none). The app answers 409.
 */
export class ConflictError extends Error {
  /** The item id (or object key) the write was for. */
  public readonly id: string;

  constructor(id: string, expected: string) {
    super(`Item "${id}" was not written: expected ${expected}`);
    this.name = 'ConflictError';
    this.id = id;
  }
}

/** A value or object over the size limit. The app answers 413. */
export class ItemTooLargeError extends Error {
  /** The item id (or object key). */
  public readonly id: string;

  constructor(id: string, bytes: number, limit: number) {
    super(`Item "${id}" is ${bytes} bytes; at most ${limit} bytes fit`);
    this.name = 'ItemTooLargeError';
    this.id = id;
  }
}

/** A list cursor that this listing did not hand out (another prefix, or tampered). The app answers 400. */
export class InvalidCursorError extends Error {
  constructor(what: string) {
    super(`The cursor is not one this listing handed out (${what})`);
    this.name = 'InvalidCursorError';
  }
}

/**
 * A write of tenant data refused because a data residency migration froze the tenant, or
 * the tenant no longer lives in this realm. The app answers 503 with `Retry-After`: after
 * the migration the retry reaches whichever realm then holds the tenant.
 */
export class TenantFrozenError extends Error {
  /** Seconds after which a retry may succeed. */
  public readonly retryAfterSeconds = 60;

  constructor(clientKey: string) {
    super(`Tenant ${JSON.stringify(clientKey)} is being migrated or no longer lives in this realm; its data cannot change here now`);
    this.name = 'TenantFrozenError';
  }
}
