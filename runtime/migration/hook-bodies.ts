// zod/mini, as the lifecycle bodies: the same checks at a fraction of the bundle size.
import * as z from 'zod/mini';
import { MigrationRefusal } from './migration-refusal';

/** A migration id as the hooks accept it: 1-128 letters, digits, `.`, `_`, `:` or `-`, starting with a letter or digit. */
export const MIGRATION_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const ID = MIGRATION_ID;
const LOCATION = /^[A-Za-z]{2,16}$/;

/** Atlassian sends migration ids as numbers or strings; both become the same string. */
const migrationId = z.union([
  z.string().check(z.regex(ID)),
  z.number().check(z.int(), z.nonnegative()),
]);
const time = z.union([z.string().check(z.minLength(1), z.maxLength(64)), z.number()]);

const scheduleBody = z.object({
  migrationId,
  location: z.string().check(z.regex(LOCATION)),
  startTime: z.optional(time),
  endTime: z.optional(time),
});
const idBody = z.object({ migrationId });

/** The body of `schedule` and `start`: which migration, and the realm it moves the tenant to. */
export interface MigrationRequest {
  /** The migration's id, as a string. */
  readonly migrationId: string;
  /** The target realm (Atlassian's `location`). */
  readonly location: string;
  /** When the migration window opens, as sent. */
  readonly startTime?: string;
  /** When the migration window closes, as sent. */
  readonly endTime?: string;
}

/**
 * Parses the JSON body of `schedule` or `start`.
 * @throws MigrationRefusal 400 naming every missing or malformed field (never echoing values)
 */
export function parseMigrationRequest(body: string | undefined, hook: 'schedule' | 'start'): MigrationRequest {
  const parsed = scheduleBody.safeParse(parseJson(body, hook));
  if (!parsed.success) throw malformed(hook, parsed.error.issues);
  const { migrationId: id, location, startTime, endTime } = parsed.data;
  return {
    migrationId: String(id),
    location,
    ...(startTime === undefined ? {} : { startTime: String(startTime) }),
    ...(endTime === undefined ? {} : { endTime: String(endTime) }),
  };
}

/**
 * Parses the JSON body of `commit` or `rollback` and returns its migration id.
 * @throws MigrationRefusal 400 when the body or its migrationId is malformed
 */
export function parseMigrationIdBody(body: string | undefined, hook: 'commit' | 'rollback'): string {
  const parsed = idBody.safeParse(parseJson(body, hook));
  if (!parsed.success) throw malformed(hook, parsed.error.issues);
  return String(parsed.data.migrationId);
}

/**
 * The migration id of a `status` request (`?migrationId=`, exactly once).
 * @throws MigrationRefusal 400 when it is missing, repeated or malformed
 */
export function parseStatusQuery(values: readonly string[] | undefined): string {
  if (!values || values.length !== 1 || !ID.test(values[0]!)) {
    throw new MigrationRefusal(400, 'status: expected one query parameter migrationId (1-128 letters, digits, ".", "_", ":" or "-")');
  }
  return values[0]!;
}

function parseJson(body: string | undefined, hook: string): unknown {
  try {
    return JSON.parse(body ?? '');
  } catch {
    throw new MigrationRefusal(400, `${hook}: the body is not JSON`);
  }
}

function malformed(hook: string, issues: readonly { path: readonly PropertyKey[] }[]): MigrationRefusal {
  const fields = [...new Set(issues.map((i) => i.path.map(String).join('.') || '(body)'))];
  return new MigrationRefusal(400, `${hook}: missing or malformed ${fields.join(', ')}`);
}
