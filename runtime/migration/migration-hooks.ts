import { MigrationRequest, parseMigrationIdBody, parseMigrationRequest, parseStatusQuery } from './hook-bodies';
import { MigrationErrorCode, MigrationRefusal } from './migration-refusal';

/**
 * What the status hook answers: `ready-to-commit`, `failed` with a code, or (Atlassian reads
 * any other value as not ready) where the migration is: copying (`in-progress`), committing,
 * committed, rolling back or rolled back.
 */
export type MigrationStatus =
  | { readonly status: 'ready-to-commit' }
  | { readonly status: 'failed'; readonly errorResponseCode: MigrationErrorCode }
  | { readonly status: 'in-progress' | 'committing' | 'committed' | 'rolling-back' | 'rolled-back' };

/** The five data residency migration hooks, for one tenant at a time (the hook's authenticated tenant). */
export interface MigrationHooks {
  /** Checks eligibility and records the migration; refuses with E0002 or E0004. */
  schedule(tenant: string, request: MigrationRequest): Promise<void>;
  /** Starts (or resumes) copying the tenant to the target realm. */
  start(tenant: string, request: MigrationRequest): Promise<void>;
  /** Continues the copy or its verification for a while, then reports. */
  status(tenant: string, migrationId: string): Promise<MigrationStatus>;
  /** Moves the tenant's directory entry to the target realm, then deletes the source copy. */
  commit(tenant: string, migrationId: string): Promise<void>;
  /** Deletes what the migration wrote in the target realm; the source stays as it was. */
  rollback(tenant: string, migrationId: string): Promise<void>;
}

/** The hooks Atlassian appends to the migration path. */
export const MIGRATION_HOOK_NAMES = ['schedule', 'start', 'status', 'commit', 'rollback'] as const;

/** One of {@link MIGRATION_HOOK_NAMES}. */
export type MigrationHookName = (typeof MIGRATION_HOOK_NAMES)[number];

/** One authenticated hook request. */
export interface MigrationHookInput {
  /** The tenant the request's token names (Connect `iss`, Forge installation id). */
  readonly tenant: string;
  /** The raw body (`schedule`, `start`, `commit`, `rollback`). */
  readonly body?: string;
  /** Every `migrationId` query value (`status`). */
  readonly migrationIds?: readonly string[];
}

/** What to answer: 204 without a body, or 200 with the status. */
export type MigrationHookAnswer = { readonly status: 204 } | { readonly status: 200; readonly body: MigrationStatus };

/**
 * Parses one migration hook request and runs it on `hooks`.
 * @param hooks the realm's migration engine; without one every hook is refused with E0003
 * @throws MigrationRefusal for a malformed request (400), an unknown migration (404, E0001),
 *   an unsupported realm (400, E0002), too many migrations (429, E0004), a migration in
 *   another state (409) or work still under way (503, no code: Atlassian calls again)
 */
export async function runMigrationHook(name: MigrationHookName, hooks: MigrationHooks | undefined, input: MigrationHookInput): Promise<MigrationHookAnswer> {
  if (!hooks) throw new MigrationRefusal(400, 'this realm does not run data residency migrations', 'E0003');
  switch (name) {
    case 'schedule':
    case 'start':
      await hooks[name](input.tenant, parseMigrationRequest(input.body, name));
      return { status: 204 };
    case 'status':
      return { status: 200, body: await hooks.status(input.tenant, parseStatusQuery(input.migrationIds)) };
    case 'commit':
    case 'rollback':
      await hooks[name](input.tenant, parseMigrationIdBody(input.body, name));
      return { status: 204 };
  }
}
