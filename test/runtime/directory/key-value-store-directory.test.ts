import { randomUUID } from 'node:crypto';
import {
  CloudFrontKeyValueStoreClient,
  PutKeyCommand,
  UpdateKeysCommand,
} from '@aws-sdk/client-cloudfront-keyvaluestore';
import { DIRECTORY_LAYOUT, DirectoryWriteError, KeyValueStoreDirectory, tenantSlot } from '../../../runtime/directory';
import { FakeStore } from '../../helpers/fake-kvs';

const ARN = 'arn:aws:cloudfront::123456789012:key-value-store/0a1b2c3d-4e5f-6789-abcd-ef0123456789';
const KEY = 'Q7v2Lm9XcR4tWb8NzK3pYh6JdF1sGa5E0uVoTi2CxMn7BqHk4ZlPw9SeDj3Ry8Ug';

describe('KeyValueStoreDirectory', () => {
  let store: FakeStore;
  let kvs: ReturnType<FakeStore['install']>;
  let keyReads: number;
  let directory: KeyValueStoreDirectory;
  beforeEach(() => {
    const client = new CloudFrontKeyValueStoreClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    store = new FakeStore();
    kvs = store.install(client);
    keyReads = 0;
    directory = new KeyValueStoreDirectory({ kvsArn: ARN, client, directoryKey: async () => (keyReads++, KEY) });
  });
  const sent = () => kvs.calls().map((c) => {
    const input = c.args[0].input as { Key?: string; IfMatch?: string };
    return `${c.args[0].constructor.name.replace('Command', '')} ${input.Key ?? ''} ${input.IfMatch ?? ''}`.trim();
  });

  it('records a tenant: writes the key entry first, then the bucket, each under the ETag it just read', async () => {
    const tenant = randomUUID();
    await directory.setRealm(tenant, 'EU');
    const { bucket, fingerprint } = tenantSlot(tenant, KEY);
    expect(sent()).toEqual([
      'DescribeKeyValueStore',
      `GetKey ${DIRECTORY_LAYOUT.keyEntry}`,
      `PutKey ${DIRECTORY_LAYOUT.keyEntry} ETAG1`,
      'DescribeKeyValueStore',
      `GetKey ${bucket}`,
      'UpdateKeys  ETAG2',
    ]);
    expect(store.entries.get(DIRECTORY_LAYOUT.keyEntry)).toBe(KEY);
    expect(store.entries.get(bucket)).toBe(`${fingerprint}E`);
    expect(await directory.realmOf(tenant)).toBe('EU');
  });

  it('writes the key entry once per instance, and the value only when it changes', async () => {
    const tenant = randomUUID();
    await directory.setRealm(tenant, 'US');
    await directory.setRealm(randomUUID(), 'AU');
    const puts = () => kvs.commandCalls(UpdateKeysCommand).length;
    const before = puts();
    await directory.setRealm(tenant, 'US');
    expect(puts()).toBe(before);
    expect(kvs.commandCalls(PutKeyCommand).filter((c) => c.args[0].input.Key === DIRECTORY_LAYOUT.keyEntry)).toHaveLength(1);
  });

  it('moves a tenant to another realm on migration commit', async () => {
    const tenant = randomUUID();
    await directory.setRealm(tenant, 'Global');
    await directory.setRealm(tenant, 'DE');
    expect(await directory.realmOf(tenant)).toBe('DE');
  });

  it('keeps the other records of a shared bucket, and deletes the bucket with its last record', async () => {
    const a = randomUUID();
    const { bucket } = tenantSlot(a, KEY);
    let b = randomUUID();
    while (tenantSlot(b, KEY).bucket !== bucket) b = randomUUID();
    await directory.setRealm(a, 'EU');
    await directory.setRealm(b, 'JP');
    expect(store.entries.get(bucket)).toHaveLength(26);
    await directory.remove(a);
    expect(await directory.realmOf(a)).toBeUndefined();
    expect(await directory.realmOf(b)).toBe('JP');
    await directory.remove(b);
    expect(store.entries.has(bucket)).toBe(false);
    expect(kvs.commandCalls(UpdateKeysCommand).at(-1)!.args[0].input).toEqual({ KvsARN: ARN, Puts: [], Deletes: [{ Key: bucket }], IfMatch: expect.stringMatching(/^ETAG\d+$/) });
  });

  it('treats removing an absent tenant as done, without writing', async () => {
    await directory.remove(randomUUID());
    expect(kvs.commandCalls(UpdateKeysCommand)).toHaveLength(0);
    expect(kvs.commandCalls(PutKeyCommand).map((c) => c.args[0].input.Key)).toEqual([DIRECTORY_LAYOUT.keyEntry]);
  });

  it('redoes a write whose ETag another writer invalidated, on fresh data', async () => {
    await directory.ensureDirectoryKey();
    const tenant = randomUUID();
    const { bucket } = tenantSlot(tenant, KEY);
    store.rivalWrites = 2;
    await directory.setRealm(tenant, 'AU');
    expect(sent().filter((s) => s.startsWith('UpdateKeys'))).toEqual(['UpdateKeys  ETAG2', 'UpdateKeys  ETAG3', 'UpdateKeys  ETAG4']);
    expect(kvs.commandCalls(UpdateKeysCommand).at(-1)!.args[0].input.Puts!.map((p) => p.Key)).toEqual([bucket]);
    expect(await directory.realmOf(tenant)).toBe('AU');
  });

  it('gives up when conflicting writes outlast its write budget, with a clear error', async () => {
    const client = new CloudFrontKeyValueStoreClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const busy = new FakeStore();
    busy.install(client);
    const tight = new KeyValueStoreDirectory({ kvsArn: ARN, client, directoryKey: async () => KEY, writeBudgetMs: 200 });
    await tight.ensureDirectoryKey();
    busy.rivalWrites = 100_000;
    const error = await tight.setRealm(randomUUID(), 'EU').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DirectoryWriteError);
    expect((error as Error).message).toMatch(new RegExp(`^Gave up writing 1 bucket\\(s\\) in ${ARN} after \\d+ attempts in 200 ms: other writers kept changing the store$`));
  });

  it('refuses to write into a directory kept under another key, and does not reveal either key', async () => {
    store.entries.set(DIRECTORY_LAYOUT.keyEntry, 'Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0PpOoNnMmLlKkJjIiHhGgFfEeDdCcBbAa12');
    const error = (await directory.setRealm(randomUUID(), 'EU').catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(DirectoryWriteError);
    expect(error.message).toContain('was written under another directory key than its secret holds');
    expect(error.message).not.toContain(KEY);
    expect(error.message).not.toContain('Zz9Yy8');
    expect(kvs.commandCalls(PutKeyCommand)).toHaveLength(0);
  });

  it('refuses an unknown realm before touching the store', async () => {
    await expect(directory.setRealm(randomUUID(), 'Mars')).rejects.toThrow('Unknown realm "Mars"');
    expect(kvs.calls()).toHaveLength(0);
  });

  it('passes other store errors through unchanged, without retrying', async () => {
    await directory.ensureDirectoryKey();
    kvs.on(UpdateKeysCommand).rejects(Object.assign(new Error('User is not authorized to perform: cloudfront-keyvaluestore:UpdateKeys'), { name: 'AccessDeniedException' }));
    await expect(directory.setRealm(randomUUID(), 'EU')).rejects.toThrow('not authorized');
    expect(kvs.commandCalls(UpdateKeysCommand)).toHaveLength(1);
  });

  it('refuses a malformed ARN and a bad write budget', () => {
    expect(() => new KeyValueStoreDirectory({ kvsArn: 'my-store', directoryKey: async () => KEY })).toThrow('KeyValueStoreDirectory needs the ARN of a CloudFront KeyValueStore; found "my-store"');
    expect(() => new KeyValueStoreDirectory({ kvsArn: ARN, directoryKey: async () => KEY, writeBudgetMs: -1 })).toThrow('writeBudgetMs must be a number of milliseconds >= 0; found -1');
  });

  it('reads the key from its source for every lookup, never caching a wrong one', async () => {
    await directory.realmOf(randomUUID());
    await directory.realmOf(randomUUID());
    expect(keyReads).toBe(2);
  });
});
