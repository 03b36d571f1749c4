import { randomUUID } from 'node:crypto';
import type { TenantDirectory } from '../directory/tenant-directory';
import { Logger, jsonLogger } from '../app/logger';
import { COPY_STEPS } from './copy-steps';
import { MigrationRequest } from './hook-bodies';
import type { MigrationHooks, MigrationStatus } from './migration-hooks';
import { FINISHED_STATES, MigrationChanges, MigrationRecord, MigrationRecords, MigrationState } from './migration-record';
import { MigrationFailure, MigrationRefusal } from './migration-refusal';
import { MigrationSlots } from './migration-slots';
import { OpenMigrations } from './open-migration';
import { RealmStores } from './realm-stores';
import { COMMIT_STEPS, ROLLBACK_STEPS } from './removal-steps';
import { OutOfBudget, RealmSide, Step, StepContext } from './step-context';
import { TenantItems } from './tenant-items';
import { VERIFY_STEPS } from './verify-steps';

/**
 * Arranges for {@link MigrationEngine.advance} of one migration to run soon in another
 * invocation, without waiting for it (deployed: the migration function invoking itself
 * asynchronously, {@link LambdaContinuation}). Delivered at least once: a duplicate finds
 * the migration leased or finished and does nothing.
 */
export type MigrationContinuation = (tenant: string, migrationId: string) => Promise<void>;

/** Props of {@link MigrationEngine}. */
export interface MigrationEngineProps {
  /** The app key (encryption context `app`). */
  readonly app: string;
  /** The realm this engine runs in: the source of every migration it runs (a key of `realms`). */
  readonly realm: string;
  /** How to reach every realm the app supports, this one included. */
  readonly realms: RealmStores;
  /** The global tenant directory, flipped on commit. */
  readonly directory: TenantDirectory;
  /** Migrations out of this realm that may be open at once (E0004 beyond). @default 5 */
  readonly maxConcurrent?: number;
  /** Items or objects per batch: one Query page (DynamoDB caps it at 1 MB) or one listing. @default 1000 */
  readonly batchSize?: number;
  /** Requests in flight at once within a batch: BatchWriteItem requests of 25 items, object copies, reads. @default 16 */
  readonly parallelism?: number;
  /**
   * Runs the copy, the verification and the deletions on their own after the hook that
   * starts them answers: `start`, `commit` and `rollback` record the intent and hand the
   * work to it; `status` only reports (and restarts a continuation whose lease lapsed).
   * @default - none: the work advances only during hook calls (dev mode and tests)
   */
  readonly continuation?: MigrationContinuation;
  /** How long one continuation works before it hands over to the next, in ms; keep it under the function's timeout. @default 60000 */
  readonly continueBudgetMs?: number;
  /** How long one hook call works before it answers, in ms; keep it under the function's timeout. @default 5000 */
  readonly budgetMs?: number;
  /** At most this many batches of copying or verifying per `start` or `status` call. @default unlimited (the time budget decides) */
  readonly batchesPerPoll?: number;
  /**
   * How long a call's lease on a migration lasts past its last recorded batch, in ms: longer
   * than one batch's writes take. Another call takes over a migration whose lease ran out,
   * and a rollback waits this long at most for an interrupted copy to stop writing.
   * @default 3000
   */
  readonly leaseMs?: number;
  /**
   * How long one write may take, in ms: a call sends no write to the target once its lease
   * ends within this margin (keep the clients' request timeouts below it). @default leaseMs / 3
   */
  readonly writeMarginMs?: number;
  /** Days a finished migration's record is kept (DynamoDB TTL). @default 30 */
  readonly retentionDays?: number;
  /** Epoch milliseconds. @default Date.now */
  readonly now?: () => number;
  /** Waits (a rollback waiting out an interrupted copy). @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Where failures and swallowed errors are logged. @default JSON lines on stdout */
  readonly log?: Logger;
}

const DAY_S = 24 * 60 * 60;
// The signal of a write made without a lease (commit's and rollback's own steps): it never aborts.
const NEVER = new AbortController().signal;

/** States in which steps run (a continuation, or a hook, works on them). */
const STEPPING: ReadonlySet<MigrationState> = new Set(['copying', 'verifying', 'committing', 'rolling-back']);
const ORDER: Readonly<Partial<Record<MigrationState, readonly [Readonly<Record<string, Step>>, string]>>> = {
  copying: [COPY_STEPS, 'key'],
  verifying: [VERIFY_STEPS, 'data'],
  committing: [COMMIT_STEPS, 'directory'],
  'rolling-back': [ROLLBACK_STEPS, 'identify'],
};

/**
 * Moves tenants from this realm to another, driven by Atlassian's migration hooks, with its
 * state in this (the source) realm's table. Work runs in steps, each recorded with a write
 * conditional on the record's version, so a crash at any point is resumed by the next
 * call, and every write is idempotent.
 *
 * With a {@link MigrationContinuation} (deployed), `start` records the copy and hands it to
 * a chain of continuations, each working `continueBudgetMs` under a lease and then invoking
 * the next; `status` only reports. `commit` flips the directory and answers, and the source
 * copy is deleted on its own; `rollback` fences the copy, waits out its lease, unfreezes
 * the source and answers, and the target copy is deleted on its own. Without one, each hook
 * call works `budgetMs` (`status` polls continue the copy) and `commit` and `rollback` run to
 * their end or answer 503 so Atlassian calls again.
 *
 * Fencing (no copy write lands after a rollback answered). DynamoDB's BatchWriteItem takes
 * no conditions and a condition cannot name another region's table, so the fence is the
 * lease on the record: a call writes only while it holds a lease it renewed by a conditional
 * write on the record (which fails once a rollback changed it), it sends no request once its
 * lease ends within `writeMarginMs` (the clients' request timeouts stay below it), and the
 * rollback records `fenceUntil` (the lease's end), answers only after it, and sweeps the
 * target once more past it. The copy writes into the target only where it created the
 * tenant's data key itself (tagged with the migration id), so what it writes there is its own.
 */
export class MigrationEngine implements MigrationHooks {
  private readonly source: RealmSide;
  private readonly sides = new Map<string, RealmSide>();
  private readonly records: MigrationRecords;
  private readonly slots: MigrationSlots;
  private readonly open: OpenMigrations;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly log: Logger;
  private readonly budgetMs: number;
  private readonly batchesPerPoll: number;
  private readonly writeMarginMs: number;
  private readonly continuation?: MigrationContinuation;

  constructor(private readonly props: MigrationEngineProps) {
    if (typeof props.app !== 'string' || props.app === '') throw new TypeError(`MigrationEngine needs an app key, got ${JSON.stringify(props.app)}`);
    const here = props.realms[props.realm];
    if (!here) throw new TypeError(`MigrationEngine: realm ${JSON.stringify(props.realm)} is not among the realms given (${Object.keys(props.realms).join(', ')})`);
    const limits = {
      batchSize: props.batchSize, parallelism: props.parallelism, budgetMs: props.budgetMs, batchesPerPoll: props.batchesPerPoll, leaseMs: props.leaseMs, continueBudgetMs: props.continueBudgetMs,
    };
    for (const [name, value] of Object.entries(limits)) {
      if (value !== undefined && !(value >= 1)) throw new RangeError(`MigrationEngine: ${name} must be at least 1, got ${value}`);
    }
    this.source = this.side(props.realm);
    this.records = new MigrationRecords(here.client, here.tableName);
    this.slots = new MigrationSlots(here.client, here.tableName, props.maxConcurrent ?? 5);
    this.open = new OpenMigrations(here.client, here.tableName);
    this.now = props.now ?? Date.now;
    this.sleep = props.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.log = props.log ?? jsonLogger;
    this.budgetMs = props.budgetMs ?? 5000;
    this.batchesPerPoll = props.batchesPerPoll ?? Number.POSITIVE_INFINITY;
    this.writeMarginMs = props.writeMarginMs ?? (props.leaseMs ?? 3000) / 3;
    if (props.continuation) this.continuation = props.continuation;
  }

  public async schedule(tenant: string, request: MigrationRequest): Promise<void> {
    const target = this.targetOf(request.location);
    const inPlace = this.isInPlace(target);
    if (!inPlace && this.source.endpoint.objects && !target.endpoint.objects) {
      throw new MigrationRefusal(400, `realm ${target.name} cannot hold the tenant's objects`, 'E0002');
    }
    const existing = await this.records.get(tenant, request.migrationId);
    if (existing) return this.checkReschedule(existing, target.name);
    if ((await this.source.items.getRecord(tenant))?.state === 'uninstalled') {
      throw new MigrationRefusal(409, 'the tenant is uninstalled in this realm', 'E9999');
    }
    // The realm's slot first (a refusal then writes nothing), then the tenant's one open
    // migration, taken atomically: of two racing schedules one wins.
    const nowS = Math.floor(this.now() / 1000);
    const slot = await this.slots.acquire(holderOf(tenant, request.migrationId), this.slotExpiry(request.endTime), nowS);
    if (slot === undefined) {
      throw new MigrationRefusal(429, `realm ${this.source.name} already runs its limit of concurrent migrations`, 'E0004');
    }
    const generation = await this.open.take(tenant, request.migrationId, this.slotExpiry(request.endTime), nowS, async (holder) => {
      const held = await this.records.get(tenant, holder);
      return held === undefined || FINISHED_STATES.has(held.state);
    });
    if (generation === undefined) {
      await this.slots.release(slot, holderOf(tenant, request.migrationId));
      throw new MigrationRefusal(409, 'another migration of this tenant is open', 'E0004');
    }
    const created = await this.records.create({
      tenant,
      migrationId: request.migrationId,
      location: target.name,
      ...(request.startTime === undefined ? {} : { startTime: request.startTime }),
      ...(request.endTime === undefined ? {} : { endTime: request.endTime }),
      state: 'scheduled',
      slot,
      generation,
      inPlace,
      createdAt: this.iso(),
      updatedAt: this.iso(),
    });
    if (!created) {
      const raced = await this.records.get(tenant, request.migrationId);
      if (raced) this.checkReschedule(raced, target.name);
    }
  }

  public async start(tenant: string, request: MigrationRequest): Promise<void> {
    let record = await this.existing(tenant, request.migrationId);
    const target = this.targetOf(request.location);
    if (record.location !== target.name) {
      throw new MigrationRefusal(409, `start names realm ${target.name}, but the migration was scheduled for realm ${record.location}`, 'E9999');
    }
    if (record.state === 'cancelled' || record.state === 'rolled-back') {
      throw new MigrationRefusal(409, `the migration was ${record.state === 'cancelled' ? 'replaced by a newer schedule' : 'rolled back'}`, 'E0001');
    }
    if (record.state === 'committing' || record.state === 'committed') throw new MigrationRefusal(409, 'the migration is already committed', 'E9999');
    record = await this.transition(record, (r) => r.state === 'scheduled', (r) => (r.inPlace ? { state: 'ready' } : { state: 'copying', step: 'key', cursor: undefined }));
    if (this.continuation) await this.kick(record);
    else await this.workQuietly(record);
  }

  public async status(tenant: string, migrationId: string): Promise<MigrationStatus> {
    let record: MigrationRecord | undefined;
    try {
      record = await this.records.get(tenant, migrationId);
    } catch (err) {
      // Any non-2xx makes Atlassian roll back: a passing read fault only means "not ready yet".
      this.log({ level: 'warn', event: 'migration-status-retry', migrationId, error: (err as Error).name, message: (err as Error).message });
      return { status: 'in-progress' };
    }
    if (!record) throw new MigrationRefusal(404, 'no migration with this migrationId was scheduled for this tenant', 'E0001');
    if (!this.continuation) return statusOf(await this.workQuietly(record));
    // The continuations do the work; one whose chain broke (its lease lapsed) is started again.
    if (STEPPING.has(record.state) && !(record.leaseUntil !== undefined && record.leaseUntil > this.now())) await this.kick(record);
    return statusOf(record);
  }

  public async commit(tenant: string, migrationId: string): Promise<void> {
    let record = await this.existing(tenant, migrationId);
    if (record.state === 'ready' && !record.inPlace && record.frozenWrites !== undefined) await this.checkUnchanged(record);
    record = await this.transition(record, (r) => r.state === 'ready', () => ({ state: 'committing', step: 'directory', leaseUntil: undefined, leaseId: undefined }));
    if (record.state === 'cancelled' || record.state === 'rolled-back') throw new MigrationRefusal(409, `the migration was ${record.state}`, 'E0001');
    if (record.state !== 'committing' && record.state !== 'committed') {
      throw new MigrationRefusal(409, `the migration is not ready to commit (it is ${record.state})`, 'E9999');
    }
    if (this.continuation) {
      // The directory flips before the answer (from then on the edge sends the tenant to the
      // target realm); the source copy is deleted on its own, and status says when it is gone.
      const deadline = this.deadline();
      while (record.state === 'committing' && (record.step ?? 'directory') === 'directory' && this.now() < deadline) record = await this.run(record, deadline, 1);
      if (record.state === 'committing' && (record.step ?? 'directory') === 'directory') throw new MigrationRefusal(503, 'the commit is still moving the directory entry; call commit again');
      if (record.state === 'committing') await this.kick(record);
      await this.settle(record);
      return;
    }
    record = await this.run(record, this.deadline(), Number.POSITIVE_INFINITY);
    if (record.state !== 'committed') throw new MigrationRefusal(503, 'the commit is still removing the source copy; call commit again');
    await this.settle(record);
  }

  public async rollback(tenant: string, migrationId: string): Promise<void> {
    let record = await this.existing(tenant, migrationId);
    // A commit that has deleted nothing yet (still at its directory step) can be rolled back:
    // the directory entry is pointed back at this realm first.
    const reversible = (r: MigrationRecord) => r.state !== 'committing' || r.step === undefined || r.step === 'directory';
    const refuseCommitted = (r: MigrationRecord) => {
      if (r.state === 'committed' || !reversible(r)) throw new MigrationRefusal(409, 'the migration is already committed', 'E9999');
    };
    refuseCommitted(record);
    // From any open state; a copy or verification holding a lease is fenced: the rollback waits it out.
    record = await this.transition(record, (r) => !FINISHED_STATES.has(r.state) && r.state !== 'rolling-back' && reversible(r), (r) =>
      r.state === 'scheduled'
        ? this.finished('rolled-back')
        : {
            state: 'rolling-back', step: r.state === 'committing' ? 'directory' : 'identify', cursor: undefined, leaseUntil: undefined, leaseId: undefined,
            fenceUntil: r.leaseUntil !== undefined && r.leaseUntil > this.now() ? r.leaseUntil : undefined,
          },
    );
    refuseCommitted(record);
    if (this.continuation) {
      const deadline = this.deadline();
      while (record.state === 'rolling-back' && record.step === 'directory' && this.now() < deadline) record = await this.run(record, deadline, 1);
      if (record.state === 'rolling-back' && record.step === 'directory') throw new MigrationRefusal(503, 'the rollback is still moving the directory entry back; call rollback again');
      // The time fence: no write of the copy this rollback interrupted lands after the answer.
      const wait = (record.fenceUntil ?? 0) - this.now();
      if (wait > 0) {
        if (wait > (this.props.leaseMs ?? 3000)) throw new MigrationRefusal(503, 'the rollback waits for the interrupted copy to stop writing; call rollback again');
        await this.sleep(wait);
      }
      // The source is the tenant's again at once; the target copy is deleted on its own.
      await this.source.items.table.unfreeze(tenant, migrationId);
      if (STEPPING.has(record.state)) await this.kick(record);
      await this.settle(record);
      return;
    }
    record = await this.run(record, this.deadline(), Number.POSITIVE_INFINITY);
    if (record.state !== 'rolled-back' && record.state !== 'cancelled') {
      throw new MigrationRefusal(503, 'the rollback is still removing the target copy; call rollback again');
    }
    await this.settle(record);
  }

  /**
   * Works on a migration for one budget (`continueBudgetMs` with a continuation, else
   * `budgetMs`) under a lease, whatever step it is at (copy, verification, commit's or
   * rollback's deletions), then hands over to the next continuation while work is left;
   * reports where it is. What a continuation runs. A call that finds the migration leased
   * by another, or finished, only reports: duplicated deliveries do nothing.
   * @throws MigrationRefusal 404 (E0001) when there is no such migration
   */
  public async advance(tenant: string, migrationId: string): Promise<MigrationStatus> {
    let record = await this.existing(tenant, migrationId);
    if (!STEPPING.has(record.state) || (record.leaseUntil !== undefined && record.leaseUntil > this.now())) return statusOf(record);
    const before = record.version;
    const deadline = this.now() + (this.continuation ? (this.props.continueBudgetMs ?? 60_000) : this.budgetMs);
    try {
      record = await this.leased(record, deadline, Number.POSITIVE_INFINITY);
    } catch (err) {
      this.log({ level: 'warn', event: 'migration-retry', migrationId, error: (err as Error).name, message: (err as Error).message });
      record = (await this.records.get(tenant, migrationId).catch(() => undefined)) ?? record;
      // Without progress the chain stops here; the next status poll starts it again.
      if (record.version === before) return statusOf(record);
    }
    await this.settle(record);
    if (STEPPING.has(record.state) && record.leaseId === undefined) await this.kick(record);
    return statusOf(record);
  }

  /** Starts a continuation of `record`'s migration; a failure to start one is logged (the next status poll starts it). */
  private async kick(record: MigrationRecord): Promise<void> {
    if (!this.continuation || !STEPPING.has(record.state)) return;
    try {
      await this.continuation(record.tenant, record.migrationId);
    } catch (err) {
      this.log({ level: 'warn', event: 'migration-continuation-failed', migrationId: record.migrationId, error: (err as Error).name, message: (err as Error).message });
    }
  }

  /** Once a migration finished: the source unfrozen after a rollback, the realm's slot and the tenant's open migration released. */
  private async settle(record: MigrationRecord): Promise<void> {
    if (!FINISHED_STATES.has(record.state)) return;
    if (record.state === 'rolled-back') await this.source.items.table.unfreeze(record.tenant, record.migrationId);
    await this.releaseSlot(record);
  }

  /** Refuses a commit when the tenant's source record is no longer frozen by this migration or counts writes made after the freeze. */
  private async checkUnchanged(record: MigrationRecord): Promise<void> {
    const now = (await this.source.items.getRecord(record.tenant)) as { frozenBy?: string; writeVersion?: number } | undefined;
    if (now?.frozenBy !== record.migrationId || (now.writeVersion ?? 0) !== record.frozenWrites) {
      throw new MigrationRefusal(409, "the tenant's data changed after it was frozen and verified; roll back and migrate again", 'E9999');
    }
  }

  /** Applies `changes` while `applies` holds, re-reading the record when another call changed it first. */
  private async transition(record: MigrationRecord, applies: (r: MigrationRecord) => boolean, changes: (r: MigrationRecord) => MigrationChanges): Promise<MigrationRecord> {
    for (let attempt = 0; attempt < 5 && applies(record); attempt++) {
      const next = await this.records.update(record, changes(record), this.iso());
      if (next) return next;
      record = await this.existing(record.tenant, record.migrationId);
    }
    return record;
  }

  /** Copies or verifies for one budget under a lease, unless another call holds it; errors are logged, not thrown. */
  private async workQuietly(record: MigrationRecord): Promise<MigrationRecord> {
    if (record.state !== 'copying' && record.state !== 'verifying') return record;
    if (record.leaseUntil !== undefined && record.leaseUntil > this.now()) return record;
    try {
      return await this.leased(record, this.deadline(), this.batchesPerPoll);
    } catch (err) {
      // Atlassian rolls back on any non-2xx status: a passing fault waits for the next poll instead.
      this.log({ level: 'warn', event: 'migration-retry', migrationId: record.migrationId, error: (err as Error).name, message: (err as Error).message });
      return (await this.records.get(record.tenant, record.migrationId).catch(() => undefined)) ?? record;
    }
  }

  /** Takes the lease on `record`, runs steps until `deadline` (at most `batches`), and releases the lease if it is still this call's. */
  private async leased(record: MigrationRecord, deadline: number, batches: number): Promise<MigrationRecord> {
    const leaseId = randomUUID();
    const leased = await this.records.update(record, { leaseUntil: this.leaseEnd(), leaseId }, this.iso());
    if (!leased) return (await this.records.get(record.tenant, record.migrationId)) ?? record;
    const done = await this.run(leased, deadline, batches);
    // Another call may have taken over (a rollback clears the lease): only this call's own is released.
    if (done.leaseId !== leaseId) return done;
    return (await this.records.update(done, { leaseUntil: undefined, leaseId: undefined }, this.iso())) ?? done;
  }

  /** Runs steps until the migration leaves the stepping states, the budget ends, or another call changes it. */
  private async run(record: MigrationRecord, deadline: number, batches: number): Promise<MigrationRecord> {
    const keys = new Map<'source' | 'target', Uint8Array>();
    const target = this.side(record.location);
    for (let n = 0; n < batches && this.now() < deadline; n++) {
      const order = ORDER[record.state];
      if (!order) break;
      const [steps, first] = order;
      // The signals this step's writes carry: one aborted means the lease ended under it.
      const signals: AbortSignal[] = [];
      const step = steps[record.step ?? first];
      if (!step) throw new Error(`migration ${record.migrationId} is at unknown step ${record.step} of state ${record.state}`);
      const ctx: StepContext = {
        app: this.props.app, record, source: this.source, target, directory: this.props.directory, keys,
        batchSize: this.props.batchSize ?? 1000, parallelism: this.props.parallelism ?? 16,
        now: this.now, remainingMs: () => deadline - this.now(), sleep: this.sleep,
        beforeWrite: () => {
          const lease = ctx.record.leaseUntil;
          if (lease === undefined) return NEVER;
          const left = lease - this.now();
          if (left < this.writeMarginMs) throw new OutOfBudget('the lease ends before another write could finish');
          const signal = AbortSignal.timeout(left);
          signals.push(signal);
          return signal;
        },
      };
      let changes: MigrationChanges;
      try {
        changes = await step(ctx);
      } catch (err) {
        // A write abandoned at the lease's end (whatever error that surfaced as): nothing
        // recorded, the step runs again under a new lease. Other errors, timeouts included, as before.
        if (err instanceof OutOfBudget || (!(err instanceof MigrationFailure) && signals.some((signal) => signal.aborted))) break;
        if (!(err instanceof MigrationFailure) || (record.state !== 'copying' && record.state !== 'verifying')) throw err;
        this.log({ level: 'warn', event: 'migration-failed', migrationId: record.migrationId, code: err.code, reason: err.message });
        changes = { state: 'failed', step: undefined, cursor: undefined, leaseUntil: undefined, leaseId: undefined, failure: err.message, errorCode: err.code };
      }
      if (changes.state !== undefined && FINISHED_STATES.has(changes.state)) changes = { ...changes, ...this.finished(changes.state) };
      // A call holding the lease renews it with every batch it records.
      else if (record.leaseUntil !== undefined && !('leaseUntil' in changes)) changes = { ...changes, leaseUntil: this.leaseEnd() };
      const next = await this.records.update(record, changes, this.iso());
      if (!next) return (await this.records.get(record.tenant, record.migrationId)) ?? record;
      record = next;
    }
    return record;
  }

  private async existing(tenant: string, migrationId: string): Promise<MigrationRecord> {
    const record = await this.records.get(tenant, migrationId);
    if (!record) throw new MigrationRefusal(404, 'no migration with this migrationId was scheduled for this tenant', 'E0001');
    return record;
  }

  private checkReschedule(existing: MigrationRecord, location: string): void {
    if (existing.location !== location) throw new MigrationRefusal(409, `the migration is already scheduled for realm ${existing.location}`, 'E9999');
    if (FINISHED_STATES.has(existing.state)) throw new MigrationRefusal(409, `the migration is already ${existing.state}`, 'E9999');
  }

  private targetOf(location: string): RealmSide {
    const names = Object.keys(this.props.realms);
    const name = names.includes(location) ? location : names.find((n) => n.toLowerCase() === location.toLowerCase());
    if (name === undefined) throw new MigrationRefusal(400, `realm ${location} is not supported by this app`, 'E0002');
    return this.side(name);
  }

  private side(name: string): RealmSide {
    let side = this.sides.get(name);
    if (!side) {
      const endpoint = this.props.realms[name];
      if (!endpoint) throw new MigrationRefusal(400, `realm ${name} is not supported by this app`, 'E0002');
      side = { name, endpoint, items: new TenantItems(endpoint.client, endpoint.tableName) };
      this.sides.set(name, side);
    }
    return side;
  }

  private isInPlace(target: RealmSide): boolean {
    const a = this.source.endpoint;
    const b = target.endpoint;
    return a.stackRealm === b.stackRealm && a.tableName === b.tableName;
  }

  // What a finished record keeps for `retentionDays` (status and redelivered hooks answer from
  // it): no cursor (a key of the tenant's) and no checksum over the tenant's data.
  private finished(state: MigrationState): MigrationChanges {
    const days = this.props.retentionDays ?? 30;
    const kept = { step: undefined, cursor: undefined, leaseUntil: undefined, leaseId: undefined, sourceDigest: undefined, targetDigest: undefined };
    return { state, ...kept, expiresAt: Math.floor(this.now() / 1000) + days * DAY_S };
  }

  /** Frees the realm's concurrency slot and the tenant's open-migration item once a migration finished. */
  private async releaseSlot(record: MigrationRecord): Promise<void> {
    if (record.slot !== undefined) await this.slots.release(record.slot, holderOf(record.tenant, record.migrationId));
    if (record.generation !== undefined) await this.open.release(record.tenant, record.migrationId, record.generation, record.expiresAt);
  }

  /** A slot is held until a day past the end of the migration window (or two days from now when that is unknown). */
  private slotExpiry(endTime: string | undefined): number {
    const now = Math.floor(this.now() / 1000);
    const parsed = endTime === undefined ? NaN : /^\d+$/.test(endTime) ? Number(endTime) / (endTime.length > 11 ? 1000 : 1) : Date.parse(endTime) / 1000;
    const end = Number.isFinite(parsed) ? Math.floor(parsed) : now + DAY_S;
    return Math.min(Math.max(end, now) + DAY_S, now + 8 * DAY_S);
  }

  private leaseEnd(): number {
    return this.now() + (this.props.leaseMs ?? 3000);
  }

  private deadline(): number {
    return this.now() + this.budgetMs;
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }
}

/** What status answers for a migration as recorded: finished ones say how they finished. */
function statusOf(record: MigrationRecord): MigrationStatus {
  switch (record.state) {
    case 'ready': return { status: 'ready-to-commit' };
    case 'failed': return { status: 'failed', errorResponseCode: record.errorCode ?? 'E9999' };
    case 'committing': case 'committed': case 'rolling-back': case 'rolled-back': return { status: record.state };
    case 'cancelled': return { status: 'rolled-back' };
    default: return { status: 'in-progress' };
  }
}

function holderOf(tenant: string, migrationId: string): string {
  return JSON.stringify([tenant, migrationId]);
}
