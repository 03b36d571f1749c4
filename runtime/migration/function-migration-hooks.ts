import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { InvokedFunction } from '../lambda/invoke-function';
import { MIGRATION_ID, MigrationRequest, parseMigrationRequest } from './hook-bodies';
import { MIGRATION_HOOK_NAMES, MigrationHookName, MigrationHooks, MigrationStatus } from './migration-hooks';
import type { MigrationContinuation } from './migration-engine';
import { MigrationErrorCode, MigrationRefusal } from './migration-refusal';

/**
 * One migration hook call, as the migration function receives it (the tenant already
 * authenticated), or `advance`: a continuation the function sent itself ({@link LambdaContinuation}).
 */
export type MigrationCall =
  | { readonly hook: 'schedule' | 'start'; readonly tenant: string; readonly request: MigrationRequest }
  | { readonly hook: 'status' | 'commit' | 'rollback' | 'advance'; readonly tenant: string; readonly migrationId: string };

/** The hooks the migration function runs: Atlassian's five, and `advance` (its own continuations). */
export interface MigrationFunctionHooks extends MigrationHooks {
  /** Works on the migration for one budget and hands over to the next continuation (`MigrationEngine.advance`). */
  advance(tenant: string, migrationId: string): Promise<MigrationStatus>;
}

/**
 * What the migration function answers: `status` for the status hook, or the refusal the
 * engine made (a value, not a function error, so its HTTP status and code reach Atlassian).
 */
export type MigrationCallResult =
  | { readonly ok: true; readonly status?: MigrationStatus }
  | { readonly ok: false; readonly refusal: { readonly status: MigrationRefusal['status']; readonly message: string; readonly code?: MigrationErrorCode } };

const MAX_TENANT_ID = 512;
const CALL_NAMES = [...MIGRATION_HOOK_NAMES, 'advance'] as const;

/**
 * Checks an incoming {@link MigrationCall} with the hooks' own body checks.
 * @throws MigrationRefusal 400 naming what is wrong
 */
export function parseMigrationCall(event: unknown): MigrationCall {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) throw new MigrationRefusal(400, 'migration call: expected a JSON object');
  const { hook, tenant, request, migrationId } = event as Record<string, unknown>;
  if (typeof hook !== 'string' || !(CALL_NAMES as readonly string[]).includes(hook)) {
    throw new MigrationRefusal(400, `migration call: hook must be one of ${CALL_NAMES.join(', ')}`);
  }
  if (typeof tenant !== 'string' || tenant.length === 0 || tenant.length > MAX_TENANT_ID) {
    throw new MigrationRefusal(400, `migration call: tenant must be a string of 1 to ${MAX_TENANT_ID} characters`);
  }
  const name = hook as MigrationHookName | 'advance';
  if (name === 'schedule' || name === 'start') return { hook: name, tenant, request: parseMigrationRequest(JSON.stringify(request ?? null), name) };
  if (typeof migrationId !== 'string' || !MIGRATION_ID.test(migrationId)) {
    throw new MigrationRefusal(400, `migration call: ${name} needs a migrationId of 1-128 letters, digits, ".", "_", ":" or "-"`);
  }
  return { hook: name, tenant, migrationId };
}

/**
 * The Lambda handler of a migration function: checks each call ({@link parseMigrationCall})
 * and runs it on `hooks` (the realm's `MigrationEngine`). A refusal is answered as a value;
 * anything else rejects, so the caller answers 5xx and Atlassian calls again.
 */
export function migrationCallHandler(hooks: MigrationFunctionHooks): (event: unknown) => Promise<MigrationCallResult> {
  return async (event) => {
    try {
      const call = parseMigrationCall(event);
      switch (call.hook) {
        case 'schedule':
        case 'start':
          await hooks[call.hook](call.tenant, call.request);
          return { ok: true };
        case 'status':
        case 'advance':
          return { ok: true, status: await hooks[call.hook](call.tenant, call.migrationId) };
        case 'commit':
        case 'rollback':
          await hooks[call.hook](call.tenant, call.migrationId);
          return { ok: true };
      }
    } catch (error) {
      if (!(error instanceof MigrationRefusal)) throw error;
      return { ok: false, refusal: { status: error.status, message: error.message, ...(error.code ? { code: error.code } : {}) } };
    }
  };
}

/** Props of {@link FunctionMigrationHooks}. */
export interface FunctionMigrationHooksProps {
  /** The name or ARN of the migration function (one running {@link migrationCallHandler}). */
  readonly functionName: string;
  /**
   * The Lambda client.
   * @default a `LambdaClient` in the region of `functionName` when it is an ARN, else the function's own region
   */
  readonly client?: LambdaClient;
}

/**
 * The {@link MigrationHooks} of a realm whose engine runs in another function: the app's
 * functions have no route out of their VPC, while a migration reads and writes other
 * realms' regions. Each hook is one synchronous invoke; a refusal comes back as the same
 * {@link MigrationRefusal} the engine made.
 */
export class FunctionMigrationHooks implements MigrationHooks {
  private readonly fn: InvokedFunction;

  constructor(props: FunctionMigrationHooksProps) {
    this.fn = new InvokedFunction('migration function', props?.functionName, props?.client);
  }

  /** {@inheritDoc MigrationHooks.schedule} */
  public async schedule(tenant: string, request: MigrationRequest): Promise<void> {
    await this.invoke({ hook: 'schedule', tenant, request });
  }

  /** {@inheritDoc MigrationHooks.start} */
  public async start(tenant: string, request: MigrationRequest): Promise<void> {
    await this.invoke({ hook: 'start', tenant, request });
  }

  /** {@inheritDoc MigrationHooks.status} */
  public async status(tenant: string, migrationId: string): Promise<MigrationStatus> {
    const { status } = await this.invoke({ hook: 'status', tenant, migrationId });
    if (status === undefined) throw new Error(`migration function ${this.fn.name} answered status without a status`);
    return status;
  }

  /** {@inheritDoc MigrationHooks.commit} */
  public async commit(tenant: string, migrationId: string): Promise<void> {
    await this.invoke({ hook: 'commit', tenant, migrationId });
  }

  /** {@inheritDoc MigrationHooks.rollback} */
  public async rollback(tenant: string, migrationId: string): Promise<void> {
    await this.invoke({ hook: 'rollback', tenant, migrationId });
  }

  private async invoke(call: MigrationCall): Promise<{ status?: MigrationStatus }> {
    const result = parseResult(await this.fn.call(call.hook, call));
    if (result === undefined) throw new Error(`migration function ${this.fn.name} answered ${call.hook} with something that is not a migration call result`);
    if (!result.ok) throw new MigrationRefusal(result.refusal.status, result.refusal.message, result.refusal.code);
    return result.status === undefined ? {} : { status: result.status };
  }
}

const REFUSAL_STATUSES = new Set([400, 404, 409, 429, 503]);
const CODES = new Set(['E0001', 'E0002', 'E0003', 'E0004', 'E9999']);
const STATUSES = new Set(['ready-to-commit', 'failed', 'in-progress', 'committing', 'committed', 'rolling-back', 'rolled-back']);

function parseResult(answer: unknown): MigrationCallResult | undefined {
  const value = answer as any;
  if (typeof value !== 'object' || value === null) return undefined;
  if (value.ok === true) {
    const status = value.status;
    if (status === undefined) return { ok: true };
    if (typeof status !== 'object' || status === null || !STATUSES.has(status.status)) return undefined;
    if (status.status === 'failed' && !CODES.has(status.errorResponseCode)) return undefined;
    return { ok: true, status: status.status === 'failed' ? { status: 'failed', errorResponseCode: status.errorResponseCode } : { status: status.status } };
  }
  const refusal = value.ok === false ? value.refusal : undefined;
  if (typeof refusal !== 'object' || refusal === null || !REFUSAL_STATUSES.has(refusal.status) || typeof refusal.message !== 'string') return undefined;
  if (refusal.code !== undefined && !CODES.has(refusal.code)) return undefined;
  return { ok: false, refusal: { status: refusal.status, message: refusal.message.slice(0, 500), ...(refusal.code ? { code: refusal.code } : {}) } };
}

/** Props of {@link LambdaContinuation}. */
export interface LambdaContinuationProps {
  /** The migration function's own name. @default the AWS_LAMBDA_FUNCTION_NAME Lambda sets */
  readonly functionName?: string;
  /** The Lambda client. @default a `LambdaClient` in the function's own region */
  readonly client?: LambdaClient;
}

/**
 * The {@link MigrationContinuation} of the deployed migration function: it invokes itself
 * asynchronously (`InvocationType: Event`) with an `advance` call, so the next budget of
 * work runs in a fresh invocation while this one answers.
 */
export class LambdaContinuation {
  private readonly client: LambdaClient;
  private readonly name: string;

  constructor(props: LambdaContinuationProps = {}) {
    const name = props.functionName ?? process.env.AWS_LAMBDA_FUNCTION_NAME;
    if (typeof name !== 'string' || name === '') throw new TypeError('LambdaContinuation needs the function name (AWS_LAMBDA_FUNCTION_NAME is not set)');
    this.name = name;
    this.client = props.client ?? new LambdaClient({});
  }

  /** Sends `advance` of the migration to the function, without waiting for it to run. */
  public readonly continue: MigrationContinuation = async (tenant, migrationId) => {
    const call: MigrationCall = { hook: 'advance', tenant, migrationId };
    await this.client.send(new InvokeCommand({ FunctionName: this.name, InvocationType: 'Event', Payload: new TextEncoder().encode(JSON.stringify(call)) }));
  };
}
