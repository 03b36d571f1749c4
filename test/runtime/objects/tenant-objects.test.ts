import { Readable } from 'node:stream';
import { InMemoryObjectStore, tenantObjectPrefix } from '../../../runtime/migration';
import { MAX_OBJECT_BYTES, TenantObjects } from '../../../runtime/objects';
import { InvalidCursorError, ItemTooLargeError } from '../../../runtime/tenants';
import { appLog, logLine } from '../../../runtime/app';
import { testSigner } from '../../helpers/hosted-app';

const store = new InMemoryObjectStore();
const objects = (tenant = 'client/a') => new TenantObjects({ tenant, store, signer: testSigner() });

describe('tenant.objects', () => {
  it("keeps every key under the tenant's prefix, the layout migrations move", async () => {
    await objects().put('docs/a.txt', 'A', { contentType: 'text/plain' });
    await objects().put('docs/b.bin', Readable.from([Buffer.from('b1'), Buffer.from('b2')]));
    await objects('client-b').put('docs/a.txt', 'B');
    expect(store.keys()).toEqual([`${tenantObjectPrefix('client-b')}docs/a.txt`, `${tenantObjectPrefix('client/a')}docs/a.txt`, `${tenantObjectPrefix('client/a')}docs/b.bin`].sort());
    expect(await objects().get('docs/a.txt')).toEqual({ body: new Uint8Array(Buffer.from('A')), contentType: 'text/plain' });
    expect(Buffer.from((await objects().get('docs/b.bin'))!.body).toString()).toBe('b1b2');
    await objects().delete('docs/b.bin');
    expect(await objects().get('docs/b.bin')).toBeUndefined();
  });

  it.each(['', '/abs', '../x', 'a/../b', 'a//b', 'a\\b', 'a\u0000b', 'x'.repeat(513)])('refuses the key %j', async (key) => {
    await expect(objects().put(key, 'x')).rejects.toThrow(/An object key must be 1 to 512 UTF-8 bytes/);
  });

  it('lists a page at a time with a cursor that stays under the prefix', async () => {
    const o = objects('lister');
    for (const n of [1, 2, 3]) await o.put(`p/${n}`, String(n));
    await o.put('q/1', 'q');
    const first = await o.list('p/', { limit: 2 });
    expect(first.objects).toEqual([{ key: 'p/1', size: 1 }, { key: 'p/2', size: 1 }]);
    expect((await o.list('p/', { cursor: first.cursor! })).objects.map((x) => x.key)).toEqual(['p/3']);
    await expect(o.list('q/', { cursor: first.cursor! })).rejects.toThrow(InvalidCursorError);
  });

  it('refuses an object over the direct-upload limit, a stream as soon as it passes it', async () => {
    await expect(objects().put('big', Buffer.alloc(MAX_OBJECT_BYTES + 1))).rejects.toThrow(ItemTooLargeError);
    const endless = (async function* () {
      for (;;) yield Buffer.alloc(1024 * 1024);
    })();
    await expect(objects().put('big', endless)).rejects.toThrow(ItemTooLargeError);
  });

  it('presigns for 5 minutes by default and at most 15', async () => {
    expect(new URL(await objects().presignGet('docs/a.txt')).searchParams.get('X-Amz-Expires')).toBe('300');
    expect(new URL(await objects().presignGet('docs/a.txt', { expiresIn: 900 })).searchParams.get('X-Amz-Expires')).toBe('900');
    await expect(objects().presignGet('docs/a.txt', { expiresIn: 901 })).rejects.toThrow(/expiresIn must be a whole number of seconds from 1 to 900/);
    await expect(new TenantObjects({ tenant: 't', store }).presignGet('k')).rejects.toThrow(/no URL signer/);
  });
});

describe('tenant.log', () => {
  it('writes one line per entry with the tenant and route, escaping line separators and leaving out credentials', () => {
    const entries: object[] = [];
    appLog((e) => entries.push(e), 'client-a', 'GET /x').info('hello\u2028forged\u0085line', { count: 2, token: 'abc', note: 'eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJ4In0.sig', tenant: 'spoofed' });
    expect(entries).toEqual([{ level: 'info', event: 'app', message: 'hello\u2028forged\u0085line', tenant: 'client-a', route: 'GET /x', count: 2, token: '[redacted]', note: '[redacted]' }]);
    const line = logLine(entries[0]!);
    expect(line.split(/[\n\u2028\u2029\u0085]/)).toEqual([expect.stringContaining('hello\\u2028forged\\u0085line'), '']);
  });
});
