import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DAY, payload, StoreFixture } from './store-fixture';

// dynalite has no TransactWriteItems, so the store orders its writes instead. These tests
// crash a lifecycle event after each of its writes in turn and check the invariant
// (a tenant marked installed has a live key that opens its secret), then redeliver.

const WRITES = /^(PutItem|UpdateItem|DeleteItem)Command$/;

describe('DynamoTenantStore interrupted lifecycle events', () => {
  let fx: StoreFixture;
  beforeAll(async () => {
    fx = await StoreFixture.start();
  });
  afterAll(() => fx.close());

  /** Runs `event` with the n-th write (1-based) failing; returns whether it got that far. */
  async function crashAtWrite(n: number, event: () => Promise<unknown>): Promise<boolean> {
    let writes = 0;
    const stack = fx.table.client.middlewareStack;
    stack.add(
      (next, context) => async (args) => {
        if (WRITES.test(context.commandName ?? '') && ++writes === n) throw new Error('injected crash');
        return next(args);
      },
      { step: 'initialize', name: 'injectCrash' },
    );
    try {
      await event();
      return false;
    } catch (err) {
      if ((err as Error).message !== 'injected crash') throw err;
      return true;
    } finally {
      stack.remove('injectCrash');
    }
  }

  async function raw(clientKey: string, sk: string) {
    const out = await fx.table.client.send(
      new GetItemCommand({ TableName: fx.table.tableName, Key: { pk: { S: `TENANT#${clientKey}` }, sk: { S: sk } }, ConsistentRead: true }),
    );
    return out.Item;
  }

  async function expectSafe(clientKey: string): Promise<void> {
    const record = await raw(clientKey, 'RECORD');
    const key = await raw(clientKey, 'KEY');
    if (record && record.state?.S !== 'uninstalled') {
      expect(key).toBeDefined();
      expect(key).not.toHaveProperty('expiresAt');
      expect(key?.kid).toEqual(record.kid);
      expect(await fx.store().sharedSecret(clientKey)).toEqual(expect.any(String));
    }
  }

  it('a first install that fails after any write is safe, and its redelivery completes it', async () => {
    let n = 1;
    for (; ; n++) {
      const name = `first-${n}`;
      const store = fx.store();
      if (!(await crashAtWrite(n, () => store.install(payload(name))))) break;
      await expectSafe(`client-${name}`);
      await fx.store().install(payload(name));
      expect(await fx.store().sharedSecret(`client-${name}`)).toBe(payload(name).sharedSecret);
      expect(n).toBeLessThan(10);
    }
    expect(n).toBeGreaterThan(3); // it did crash at every write before the event completed
  });

  it('a reinstall in the grace period that fails after any write is safe, and its redelivery cancels the shred', async () => {
    let n = 1;
    for (; ; n++) {
      const name = `grace-${n}`;
      const store = fx.store();
      await store.install(payload(name));
      await store.uninstall(`client-${name}`);
      if (!(await crashAtWrite(n, () => store.install(payload(name, { sharedSecret: `new-${name}-secret-000000` }))))) break;
      await expectSafe(`client-${name}`);
      await fx.store().install(payload(name, { sharedSecret: `new-${name}-secret-000000` }));
      expect(await raw(`client-${name}`, 'KEY')).not.toHaveProperty('expiresAt');
      fx.clock.advance(40 * DAY);
      expect(await fx.store().sharedSecret(`client-${name}`)).toBe(`new-${name}-secret-000000`);
      expect(n).toBeLessThan(10);
    }
    expect(n).toBeGreaterThan(3); // it did crash at every write before the event completed
  });

  it('an uninstall that fails after any write never leaves an installed tenant with an expiring key, and its redelivery completes it', async () => {
    let n = 1;
    for (; ; n++) {
      const name = `gone-${n}`;
      const store = fx.store();
      await store.install(payload(name));
      if (!(await crashAtWrite(n, () => store.uninstall(`client-${name}`)))) break;
      await expectSafe(`client-${name}`);
      await fx.store().uninstall(`client-${name}`);
      expect((await raw(`client-${name}`, 'KEY'))?.expiresAt).toBeDefined();
      expect(await fx.store().sharedSecret(`client-${name}`)).toBeUndefined();
      expect(n).toBeLessThan(10);
    }
    expect(n).toBeGreaterThan(3); // it did crash at every write before the event completed
  });

  it('a reinstall after the shred that fails after any write is safe, and its redelivery completes it', async () => {
    let n = 1;
    for (; ; n++) {
      const name = `reborn-${n}`;
      const store = fx.store();
      await store.install(payload(name));
      await store.dataFor(`client-${name}`).put('old', 1);
      await store.uninstall(`client-${name}`);
      fx.clock.advance(31 * DAY);
      if (!(await crashAtWrite(n, () => store.install(payload(name))))) break;
      await expectSafe(`client-${name}`);
      await fx.store().install(payload(name));
      expect(await fx.store().sharedSecret(`client-${name}`)).toBe(payload(name).sharedSecret);
      expect(await fx.store().dataFor(`client-${name}`).get('old')).toBeUndefined();
      expect(n).toBeLessThan(10);
    }
    expect(n).toBeGreaterThan(3); // it did crash at every write before the event completed
  });
});
