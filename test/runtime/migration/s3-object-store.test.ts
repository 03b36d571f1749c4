import { createHash } from 'node:crypto';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { S3ObjectStore } from '../../../runtime/migration';

// No S3-protocol server is available offline here (no Docker, nothing on the npm allowlist),
// so the S3 adapter is checked against the SDK's command contract with aws-sdk-client-mock;
// the migration engine itself runs against the in-process object store.

const client = new S3Client({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const s3 = mockClient(client);
const store = new S3ObjectStore({ bucketName: 'realm-eu-data', client });
beforeEach(() => s3.reset());

describe('S3ObjectStore', () => {
  it("lists one page under the tenant's prefix after a key, and says whether more follow", async () => {
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'tenants/a/1', Size: 3 }, { Key: 'tenants/a/2', Size: 5 }], IsTruncated: true });
    expect(await store.list('tenants/a/', 'tenants/a/0', 2)).toEqual({ objects: [{ key: 'tenants/a/1', size: 3 }, { key: 'tenants/a/2', size: 5 }], more: true });
    expect(s3.commandCalls(ListObjectsV2Command)[0]!.args[0].input).toEqual({ Bucket: 'realm-eu-data', Prefix: 'tenants/a/', StartAfter: 'tenants/a/0', MaxKeys: 2 });
  });

  it('reads an object whole, and an absent one as undefined', async () => {
    // The part of the SDK's stream body the store uses.
    const body = { transformToByteArray: async () => new Uint8Array(Buffer.from('abc')) };
    s3.on(GetObjectCommand, { Key: 'tenants/a/1' }).resolves({ Body: body as never });
    s3.on(GetObjectCommand, { Key: 'tenants/a/gone' }).rejects(new NoSuchKey({ message: 'gone', $metadata: {} }));
    expect(Buffer.from((await store.get('tenants/a/1'))!.body).toString()).toBe('abc');
    expect(await store.get('tenants/a/gone')).toBeUndefined();
  });

  it('passes other read errors on', async () => {
    s3.on(GetObjectCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    await expect(store.get('tenants/a/1')).rejects.toThrow('denied');
  });

  it("writes with the body's SHA-256, which S3 checks before storing", async () => {
    s3.on(PutObjectCommand).resolves({});
    const body = new Uint8Array(Buffer.from('hello'));
    await store.put('tenants/a/1', body);
    expect(s3.commandCalls(PutObjectCommand)[0]!.args[0].input).toEqual({
      Bucket: 'realm-eu-data', Key: 'tenants/a/1', Body: body, ContentLength: 5,
      ChecksumSHA256: createHash('sha256').update('hello').digest('base64'),
    });
  });

  it('deletes by key', async () => {
    s3.on(DeleteObjectCommand).resolves({});
    await store.delete('tenants/a/1');
    expect(s3.commandCalls(DeleteObjectCommand)[0]!.args[0].input).toEqual({ Bucket: 'realm-eu-data', Key: 'tenants/a/1' });
  });

  it('needs a bucket name', () => {
    expect(() => new S3ObjectStore({ bucketName: '', client })).toThrow('S3ObjectStore needs a bucketName, got ""');
  });
});
