import { allItems } from '../../helpers/all-items';
import { FunctionMigrationHooks, LambdaContinuation, MigrationRefusal, MigrationStatus, migrationCallHandler, parseMigrationCall } from '../../../runtime/migration';
import { lambdaRunning } from '../../helpers/lambda-running';
import { request, SOURCE, TARGET, TwoRealms } from './two-realms';

const MOVER = 'arn:aws:lambda:us-east-1:123456789012:function:Demo-Global-migration';

let realms: TwoRealms;
beforeAll(async () => {
  realms = await TwoRealms.start();
});
afterAll(() => realms.close());

/** The app function's view: the source realm's engine behind a migration function. */
const hooks = () => new FunctionMigrationHooks({ functionName: MOVER, client: lambdaRunning({ [MOVER]: migrationCallHandler(realms.engine({ batchSize: 100 })) }) });

async function refusal(call: Promise<unknown>): Promise<MigrationRefusal> {
  const outcome = await call.then(() => undefined, (err: unknown) => err);
  if (!(outcome instanceof MigrationRefusal)) throw new Error(`expected a MigrationRefusal, got ${String(outcome)}`);
  return outcome;
}

describe('FunctionMigrationHooks and migrationCallHandler', () => {
  it('copies in invocations the function sends itself (asynchronous advance calls), status only reporting', async () => {
    const t = await realms.seed('self-invoked', 40, 1);
    const queued: Array<{ functionName: string; event: unknown }> = [];
    const handlers: Record<string, (event: unknown) => Promise<unknown>> = {};
    const client = lambdaRunning(handlers, queued);
    handlers[MOVER] = migrationCallHandler(realms.engine({ batchSize: 10, continuation: new LambdaContinuation({ functionName: MOVER, client }).continue }));
    const h = new FunctionMigrationHooks({ functionName: MOVER, client });
    await h.schedule(t.clientKey, request('m-self-invoked'));
    await h.start(t.clientKey, request('m-self-invoked'));
    expect(queued).toEqual([{ functionName: MOVER, event: { hook: 'advance', tenant: t.clientKey, migrationId: 'm-self-invoked' } }]);
    expect(await h.status(t.clientKey, 'm-self-invoked')).toEqual({ status: 'in-progress' });
    const deliver = async () => {
      while (queued.length > 0) {
        const { functionName, event } = queued.shift()!;
        await handlers[functionName]!(event);
      }
    };
    await deliver();
    expect(await h.status(t.clientKey, 'm-self-invoked')).toEqual({ status: 'ready-to-commit' });
    await h.commit(t.clientKey, 'm-self-invoked');
    await deliver();
    expect(await h.status(t.clientKey, 'm-self-invoked')).toEqual({ status: 'committed' });
    expect(await realms.freshStore(realms.source).get(t.clientKey)).toBeUndefined();
    expect((await allItems(realms.freshStore(realms.target).dataFor(t.clientKey))).map((i) => i.id).sort()).toEqual([...t.ids]);
  });

  it('moves a tenant with 300 items through the migration function, and commits it in the directory', async () => {
    const t = await realms.seed('through-function', 300, 2);
    const h = hooks();
    await h.schedule(t.clientKey, request('m-fn'));
    await h.start(t.clientKey, request('m-fn'));
    let status: MigrationStatus = { status: 'in-progress' };
    for (let polls = 0; polls < 50 && status.status === 'in-progress'; polls++) {
      realms.clock.advance(5 * 60_000);
      status = await h.status(t.clientKey, 'm-fn');
    }
    expect(status).toEqual({ status: 'ready-to-commit' });
    await h.commit(t.clientKey, 'm-fn');
    expect(await realms.directory.realmOf(t.clientKey)).toBe(TARGET);
    const moved = await allItems(realms.freshStore(realms.target).dataFor(t.clientKey));
    expect(moved.map((i) => i.id).sort()).toEqual([...t.ids]);
    expect(await realms.freshStore(realms.source).get(t.clientKey)).toBeUndefined();
  });

  it("brings the engine's refusals back with their HTTP status, code and message, changing nothing", async () => {
    const t = await realms.seed('fn-refusals', 2);
    const before = await realms.scan(realms.source);
    const h = hooks();
    const unsupported = await refusal(h.schedule(t.clientKey, request('m-au', 'AU')));
    expect(unsupported).toMatchObject({ status: 400, code: 'E0002', message: 'realm AU is not supported by this app' });
    expect(await refusal(h.start(t.clientKey, request('never')))).toMatchObject({ status: 404, code: 'E0001' });
    expect(await refusal(h.commit(t.clientKey, 'never'))).toMatchObject({ code: 'E0001' });
    expect(await realms.scan(realms.source)).toEqual(before);
    expect(await realms.directory.realmOf(t.clientKey)).toBe(SOURCE);
  });

  it('reports a crash in the migration function as an error (Atlassian retries), not as a refusal', async () => {
    const crashing = lambdaRunning({
      [MOVER]: migrationCallHandler({ ...realms.engine(), schedule: async () => { throw new Error('DynamoDB unavailable'); } } as never),
    });
    const error = (await new FunctionMigrationHooks({ functionName: MOVER, client: crashing }).schedule('t', request('m')).catch((e: unknown) => e)) as Error;
    expect(error).not.toBeInstanceOf(MigrationRefusal);
    expect(error.message).toBe(`migration function ${MOVER} failed on schedule: DynamoDB unavailable`);
  });

  it('refuses a function name that is neither a name nor an ARN', () => {
    expect(() => new FunctionMigrationHooks({ functionName: 'my function' })).toThrow('The migration function must be a Lambda function name or ARN; found "my function"');
  });

  it('refuses an answer that is not a migration call result', async () => {
    for (const answer of [{ ok: true, status: { status: 'done' } }, { ok: false, refusal: { status: 500, message: 'x' } }, 'ok', { ok: true, status: { status: 'failed', errorResponseCode: 'E1234' } }]) {
      const client = lambdaRunning({ [MOVER]: async () => answer });
      await expect(new FunctionMigrationHooks({ functionName: MOVER, client }).status('t', 'm')).rejects.toThrow('answered status with something that is not a migration call result');
    }
  });
});

describe('parseMigrationCall', () => {
  it('accepts each hook with its argument', () => {
    expect(parseMigrationCall({ hook: 'schedule', tenant: 't', request: { migrationId: 7, location: 'EU' } })).toEqual({ hook: 'schedule', tenant: 't', request: { migrationId: '7', location: 'EU' } });
    expect(parseMigrationCall({ hook: 'commit', tenant: 't', migrationId: 'm-1' })).toEqual({ hook: 'commit', tenant: 't', migrationId: 'm-1' });
  });

  it.each([
    [null, 'migration call: expected a JSON object'],
    [{ hook: 'delete', tenant: 't' }, 'migration call: hook must be one of schedule, start, status, commit, rollback'],
    [{ hook: 'status', tenant: '' }, 'migration call: tenant must be a string of 1 to 512 characters'],
    [{ hook: 'status', tenant: 't' }, 'migration call: status needs a migrationId of 1-128 letters'],
    [{ hook: 'commit', tenant: 't', migrationId: '../x' }, 'migration call: commit needs a migrationId of 1-128 letters'],
    [{ hook: 'start', tenant: 't', request: { migrationId: 'm' } }, 'start:'],
  ])('refuses %j with a 400 naming the problem', async (event, message) => {
    const answer = await migrationCallHandler(realms.engine())(event);
    expect(answer).toMatchObject({ ok: false, refusal: { status: 400 } });
    expect((answer as { refusal: { message: string } }).refusal.message).toContain(message);
  });
});
