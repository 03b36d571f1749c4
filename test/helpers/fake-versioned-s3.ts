import { createHash } from 'node:crypto';
import {
  DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, ListObjectVersionsCommand, PutObjectCommand, S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';

interface Version {
  readonly versionId: string;
  readonly body?: Uint8Array;
  readonly contentType?: string;
  /** A delete marker: no body. */
  readonly marker: boolean;
}

/**
 * A versioned S3 bucket behind the mocked client, with S3's semantics for what the runtime calls:
 * PutObject adds a version (checking `ChecksumSHA256`), DeleteObject without a version id adds a
 * delete marker (the data stays), GET and ListObjectsV2 see only keys whose latest version is not a
 * marker, ListObjectVersions pages versions and markers (MaxKeys, IsTruncated), and DeleteObjects
 * removes exactly the named versions (at most 1,000 a call). `failDeletes` makes that many of the
 * next DeleteObjects calls stop after half their entries and report the rest as errors.
 */
export class FakeVersionedBucket {
  public readonly keys = new Map<string, Version[]>();
  public failDeletes = 0;
  public readonly client = new S3Client({ region: 'eu-central-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  private next = 1;
  private readonly mock = mockClient(this.client);

  constructor(public readonly bucketName: string) {
    this.mock.on(PutObjectCommand).callsFake((input) => {
      this.bucket(input.Bucket);
      const body = Uint8Array.from(input.Body as Uint8Array);
      if (input.ChecksumSHA256 !== undefined && createHash('sha256').update(body).digest('base64') !== input.ChecksumSHA256) throw Object.assign(new Error('BadDigest'), { name: 'BadDigest' });
      return { VersionId: this.add(input.Key!, { body, contentType: input.ContentType, marker: false }) };
    });
    this.mock.on(DeleteObjectCommand).callsFake((input) => {
      this.bucket(input.Bucket);
      if (input.VersionId) return (this.removeVersion(input.Key!, input.VersionId), {});
      return { DeleteMarker: true, VersionId: this.add(input.Key!, { marker: true }) };
    });
    this.mock.on(GetObjectCommand).callsFake((input) => {
      this.bucket(input.Bucket);
      const latest = this.keys.get(input.Key!)?.at(-1);
      if (!latest || latest.marker) throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
      const bytes = Uint8Array.from(latest.body!);
      // The part of the SDK's stream body the store reads.
      return { Body: { transformToByteArray: async () => bytes } as never, ContentType: latest.contentType };
    });
    this.mock.on(ListObjectsV2Command).callsFake((input) => {
      this.bucket(input.Bucket);
      const live = [...this.keys.entries()].filter(([k, v]) => k.startsWith(input.Prefix ?? '') && !v.at(-1)!.marker && (input.StartAfter === undefined || Buffer.compare(Buffer.from(k), Buffer.from(input.StartAfter)) > 0));
      live.sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
      const page = live.slice(0, input.MaxKeys ?? 1000);
      return { Contents: page.map(([Key, v]) => ({ Key, Size: v.at(-1)!.body!.length })), IsTruncated: live.length > page.length };
    });
    this.mock.on(ListObjectVersionsCommand).callsFake((input) => {
      this.bucket(input.Bucket);
      if (input.KeyMarker !== undefined) throw new Error('this stand-in pages versions only from the start');
      const all = [...this.keys.entries()].filter(([k]) => k.startsWith(input.Prefix ?? '')).sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
        .flatMap(([Key, versions]) => versions.map((v) => ({ Key, v })));
      const page = all.slice(0, input.MaxKeys ?? 1000);
      return {
        Versions: page.filter((e) => !e.v.marker).map((e) => ({ Key: e.Key, VersionId: e.v.versionId, Size: e.v.body!.length })),
        DeleteMarkers: page.filter((e) => e.v.marker).map((e) => ({ Key: e.Key, VersionId: e.v.versionId })),
        IsTruncated: all.length > page.length,
      };
    });
    this.mock.on(DeleteObjectsCommand).callsFake((input) => {
      this.bucket(input.Bucket);
      const objects: Array<{ Key?: string; VersionId?: string }> = input.Delete?.Objects ?? [];
      if (objects.length > 1000) throw Object.assign(new Error('MalformedXML'), { name: 'MalformedXML' });
      const failing = this.failDeletes > 0 ? (this.failDeletes--, Math.floor(objects.length / 2)) : objects.length;
      objects.slice(0, failing).forEach((o) => this.removeVersion(o.Key!, o.VersionId));
      return { Errors: objects.slice(failing).map((o) => ({ Key: o.Key, VersionId: o.VersionId, Code: 'InternalError', Message: 'We encountered an internal error.' })) };
    });
  }

  /** Every version and delete marker under `prefix`. */
  public versionsUnder(prefix: string): number {
    return [...this.keys.entries()].filter(([k]) => k.startsWith(prefix)).reduce((n, [, v]) => n + v.length, 0);
  }

  public restore(): void {
    this.mock.restore();
  }

  private bucket(name: string | undefined): void {
    if (name !== this.bucketName) throw Object.assign(new Error('The specified bucket does not exist'), { name: 'NoSuchBucket' });
  }

  private add(key: string, version: Omit<Version, 'versionId'>): string {
    const versionId = `v${this.next++}`;
    this.keys.set(key, [...(this.keys.get(key) ?? []), { versionId, ...version }]);
    return versionId;
  }

  private removeVersion(key: string, versionId: string | undefined): void {
    const left = (this.keys.get(key) ?? []).filter((v) => v.versionId !== (versionId ?? 'null'));
    if (left.length === 0) this.keys.delete(key);
    else this.keys.set(key, left);
  }
}
