import { createHash } from 'node:crypto';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { requireBucketName } from '../objects/bucket-name';
import { ObjectPage, ObjectStore, StoredBody } from './object-store';

/** Props of {@link S3ObjectStore}. */
export interface S3ObjectStoreProps {
  /** The realm's data bucket. */
  readonly bucketName: string;
  /** An S3 client in the bucket's region. */
  readonly client: S3Client;
}

/**
 * A realm's data bucket as an {@link ObjectStore}. The bucket encrypts with its own realm
 * key (SSE-KMS default encryption), so an object copied between realms is re-encrypted
 * under the target realm's key on write. Each write carries the body's SHA-256, which
 * S3 checks before storing it. Objects are read whole: fine for the app's small objects.
 */
export class S3ObjectStore implements ObjectStore {
  private readonly bucket: string;
  private readonly client: S3Client;

  constructor(props: S3ObjectStoreProps) {
    this.bucket = requireBucketName('S3ObjectStore', props);
    this.client = props.client;
  }

  /** {@inheritDoc ObjectStore.list} */
  public async list(prefix: string, startAfter: string | undefined, limit: number): Promise<ObjectPage> {
    const out = await this.client.send(
      new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, MaxKeys: Math.min(Math.max(limit, 1), 1000), ...(startAfter ? { StartAfter: startAfter } : {}) }),
    );
    const objects = (out.Contents ?? []).filter((o) => o.Key !== undefined).map((o) => ({ key: o.Key!, size: o.Size ?? 0 }));
    return { objects, more: out.IsTruncated === true };
  }

  /** {@inheritDoc ObjectStore.get} */
  public async get(key: string): Promise<StoredBody | undefined> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const body = out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
      return out.ContentType === undefined ? { body } : { body, contentType: out.ContentType };
    } catch (err) {
      if ((err as { name?: string } | undefined)?.name === 'NoSuchKey') return undefined;
      throw err;
    }
  }

  /** {@inheritDoc ObjectStore.put} */
  public async put(key: string, body: Uint8Array, contentType?: string, signal?: AbortSignal): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ...(contentType === undefined ? {} : { ContentType: contentType }),
        ContentLength: body.length,
        ChecksumSHA256: createHash('sha256').update(body).digest('base64'),
      }),
      { abortSignal: signal },
    );
  }

  /** {@inheritDoc ObjectStore.delete} */
  public async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }
}
