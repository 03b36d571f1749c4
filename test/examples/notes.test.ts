import notes from '../../examples/notes/app';
import { allItems } from '../helpers/all-items';
import { call, devTenant, hostApp } from '../helpers/hosted-app';
import { StoreFixture, payload } from '../runtime/tenants/store-fixture';

let fx: StoreFixture;
beforeAll(async () => {
  fx = await StoreFixture.start();
});
afterAll(() => fx.close());

describe('the notes example', () => {
  it('adds a note as the token’s user and lists it, newest first, only to its own tenant', async () => {
    const store = fx.store();
    const [a, b] = [payload('notes-a'), payload('notes-b')];
    await Promise.all([store.install(a), store.install(b)]);
    const app = hostApp(notes, store);
    const first = await call(app, devTenant(a), 'POST', '/api/notes', { text: 'first' }, { sub: 'account-1' });
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ text: 'first', author: 'account-1' });
    fx.clock.advance(1000);
    await call(app, devTenant(a), 'POST', '/api/notes', { text: 'second' });
    const listed = (await (await call(app, devTenant(a), 'GET', '/api/notes')).json()) as { notes: { text: string }[] };
    expect(listed.notes.map((n) => n.text).sort()).toEqual(['first', 'second']);
    expect(await (await call(app, devTenant(b), 'GET', '/api/notes')).json()).toEqual({ notes: [] });
    expect((await allItems(store.dataFor(a.clientKey), 'note:')).length).toBe(2);
  });

  it('refuses a body that fails the schema with 400, naming the JSON path', async () => {
    const store = fx.store();
    const t = payload('notes-c');
    await store.install(t);
    const res = await call(hostApp(notes, store), devTenant(t), 'POST', '/api/notes', { text: '' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'bad request', issues: [{ path: '$.text', message: expect.stringMatching(/./) }] });
  });
});
