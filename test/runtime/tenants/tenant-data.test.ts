import { ConflictError, InvalidCursorError, ItemTooLargeError, MAX_ITEM_VALUE_BYTES } from '../../../runtime/tenants';
import { StoreFixture, payload } from './store-fixture';

let fx: StoreFixture;
beforeAll(async () => {
  fx = await StoreFixture.start();
  const store = fx.store();
  await Promise.all(['versions', 'pages', 'other', 'size'].map((n) => store.install(payload(n))));
});
afterAll(() => fx.close());

describe('tenant.data', () => {
  it('numbers versions from 1 and writes with ifVersion only over that version (optimistic concurrency)', async () => {
    const data = fx.store().dataFor('client-versions');
    expect(await data.put('doc', { v: 'a' }, { ifAbsent: true })).toBe(1);
    await expect(data.put('doc', { v: 'b' }, { ifAbsent: true })).rejects.toThrow(ConflictError);
    expect(await data.put('doc', { v: 'b' }, { ifVersion: 1 })).toBe(2);
    await expect(data.put('doc', { v: 'stale' }, { ifVersion: 1 })).rejects.toThrow(new ConflictError('doc', 'version 1'));
    await expect(data.delete('doc', { ifVersion: 1 })).rejects.toThrow(ConflictError);
    expect(await data.get('doc')).toEqual({ id: 'doc', value: { v: 'b' }, version: 2 });
    expect(await data.put('doc', { v: 'c' })).toBe(3);
    await data.delete('doc', { ifVersion: 3 });
    expect(await data.get('doc')).toBeUndefined();
    await expect(data.put('none', 1, { ifVersion: 1 })).rejects.toThrow(ConflictError);
    await expect(data.put('x', 1, { ifVersion: 0 })).rejects.toThrow(/ifVersion of data item "x" must be a version from get/);
  });

  it('lists under a prefix a page at a time, and a cursor reaches no other prefix or tenant', async () => {
    const data = fx.store().dataFor('client-pages');
    await Promise.all(Array.from({ length: 7 }, (_, i) => data.put(`task:${i}`, i)));
    await data.put('zzz', 'not a task');
    await fx.store().dataFor('client-other').put('task:9', 'other tenant');
    const first = await data.list('task:', { limit: 3 });
    expect(first.items.map((i) => i.id)).toEqual(['task:0', 'task:1', 'task:2']);
    const second = await data.list('task:', { limit: 3, cursor: first.cursor! });
    const third = await data.list('task:', { limit: 3, cursor: second.cursor! });
    expect([...second.items, ...third.items].map((i) => i.value)).toEqual([3, 4, 5, 6]);
    expect(third.cursor).toBeUndefined();
    await expect(data.list('zz', { cursor: first.cursor! })).rejects.toThrow(InvalidCursorError);
    await expect(data.list('task:', { cursor: Buffer.from('TENANT#client-other').toString('base64url') })).rejects.toThrow(InvalidCursorError);
    await expect(data.list('task:', { cursor: 'not/base64url' })).rejects.toThrow(InvalidCursorError);
    // A cursor another tenant got holds only an id: here it still reads this tenant's partition.
    await fx.store().dataFor('client-other').put('task:1', 'other tenant too');
    const theirs = await fx.store().dataFor('client-other').list('task:', { limit: 1 });
    expect((await data.list('task:', { cursor: theirs.cursor! })).items.map((i) => i.value)).toEqual([2, 3, 4, 5, 6]);
    await expect(data.list('task:', { limit: 0 })).rejects.toThrow(/limit must be an integer from 1 to 1000/);
  });

  it('refuses a value over the item size limit before writing it', async () => {
    const data = fx.store().dataFor('client-size');
    const fits = 'x'.repeat(MAX_ITEM_VALUE_BYTES - 2);
    expect(await data.put('big', fits)).toBe(1);
    expect((await data.get<string>('big'))?.value).toHaveLength(fits.length);
    await expect(data.put('big', `${fits}x`)).rejects.toThrow(ItemTooLargeError);
    await expect(data.put('big', `${fits}x`)).rejects.toThrow(`Item "big" is ${MAX_ITEM_VALUE_BYTES + 1} bytes; at most ${MAX_ITEM_VALUE_BYTES} bytes fit`);
  });
});
