// The KVS data plane signs with SigV4A; this registers the signer with the SDK.
import '@aws-sdk/signature-v4a';
import {
  CloudFrontKeyValueStoreClient,
  DeleteKeyCommand,
  DescribeKeyValueStoreCommand,
  GetKeyCommand,
  PutKeyCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudfront-keyvaluestore';
import { formatBucket, parseBucket, realmCode } from './bucket-records';
import { DirectoryKeySource } from './directory-key';
import { DIRECTORY_LAYOUT } from './layout';
import { TenantDirectory } from './tenant-directory';
import { assertDirectoryKey, tenantSlot } from './tenant-slot';

/** Props of {@link KeyValueStoreDirectory}. */
export interface KeyValueStoreDirectoryProps {
  /** ARN of the edge stack's KeyValueStore. */
  readonly kvsArn: string;
  /** Where the directory key comes from, such as {@link secretsManagerDirectoryKey}. */
  readonly directoryKey: DirectoryKeySource;
  /**
   * The KVS data-plane client.
   * @default a `CloudFrontKeyValueStoreClient` (the service is global; requests are signed with SigV4A)
   */
  readonly client?: CloudFrontKeyValueStoreClient;
  /**
   * Writes tried per change before giving up when other writers keep changing the store.
   * @default 5
   */
  readonly maxAttempts?: number;
}

/** A write that lost the optimistic-concurrency race `maxAttempts` times, or a store written under another key. */
export class DirectoryWriteError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DirectoryWriteError';
  }
}

/**
 * The {@link TenantDirectory} deployed at the edge: the CloudFront KeyValueStore that the
 * edge router reads, laid out as in {@link DIRECTORY_LAYOUT}.
 *
 * Every write is a read-modify-write of one bucket under the store's ETag: the ETag is
 * read first (DescribeKeyValueStore), then the bucket, and the new value is written with
 * `IfMatch` that ETag, so a concurrent change anywhere in the store makes the write fail
 * and it is redone on fresh data.
 *
 * **The directory key at the edge.** CloudFront Functions cannot call Secrets Manager, so
 * the function reads the key from the store's reserved entry `directory-key`. A writer
 * puts it there, read from the secret, before its first change ({@link ensureDirectoryKey});
 * until then the directory is empty and every request goes to Global anyway. So the key
 * is in no template, no asset, no custom-resource property and no log: only in Secrets
 * Manager and in the store, which is readable by the edge function and by IAM principals
 * granted `cloudfront-keyvaluestore:GetKey`, that is the directory writers, who hold it
 * already. A leaked directory image (which excludes the entry) reveals nothing. The key
 * is a pseudonymisation key, not a credential: it protects tenant ids, not access.
 */
export class KeyValueStoreDirectory implements TenantDirectory {
  private readonly kvsArn: string;
  private readonly client: CloudFrontKeyValueStoreClient;
  private readonly source: DirectoryKeySource;
  private readonly maxAttempts: number;
  private ensured?: Promise<string>;

  constructor(props: KeyValueStoreDirectoryProps) {
    if (typeof props?.kvsArn !== 'string' || !/^arn:aws[a-z-]*:cloudfront::\d{12}:key-value-store\/[A-Za-z0-9-]+$/.test(props.kvsArn)) {
      throw new TypeError(`KeyValueStoreDirectory needs the ARN of a CloudFront KeyValueStore; found ${JSON.stringify(String(props?.kvsArn).slice(0, 200))}`);
    }
    const maxAttempts = props.maxAttempts ?? 5;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`KeyValueStoreDirectory maxAttempts must be a whole number >= 1; found ${maxAttempts}`);
    this.kvsArn = props.kvsArn;
    this.source = props.directoryKey;
    this.client = props.client ?? new CloudFrontKeyValueStoreClient({});
    this.maxAttempts = maxAttempts;
  }

  /** {@inheritDoc TenantDirectory.setRealm} */
  public async setRealm(tenantId: string, realm: string): Promise<void> {
    realmCode(realm);
    await this.change(tenantId, (records, fingerprint) => records.set(fingerprint, realm));
  }

  /** {@inheritDoc TenantDirectory.remove} */
  public async remove(tenantId: string): Promise<void> {
    await this.change(tenantId, (records, fingerprint) => records.delete(fingerprint));
  }

  /** {@inheritDoc TenantDirectory.realmOf} */
  public async realmOf(tenantId: string): Promise<string | undefined> {
    const key = await this.directoryKey();
    const { bucket, fingerprint } = tenantSlot(tenantId, key);
    return parseBucket(bucket, await this.value(bucket)).get(fingerprint);
  }

  /**
   * Makes sure the store's reserved entry holds the directory key, writing it when it is
   * missing (once per instance). Returns the key.
   * @throws DirectoryWriteError when the entry holds another key: the store was written
   *   under a different secret, and mixing keys would misroute every tenant
   */
  public ensureDirectoryKey(): Promise<string> {
    this.ensured ??= this.writeKeyEntry().catch((e: unknown) => {
      this.ensured = undefined;
      throw e;
    });
    return this.ensured;
  }

  private async writeKeyEntry(): Promise<string> {
    const key = await this.directoryKey();
    const entry = DIRECTORY_LAYOUT.keyEntry;
    await this.retrying(entry, async (etag) => {
      const stored = await this.value(entry);
      if (stored === key) return;
      if (stored !== undefined) {
        throw new DirectoryWriteError(
          `The directory in ${this.kvsArn} was written under another directory key than its secret holds; rebuild it under the current key (buildDirectoryImage) instead of mixing keys`,
        );
      }
      await this.client.send(new PutKeyCommand({ KvsARN: this.kvsArn, Key: entry, Value: key, IfMatch: etag }));
    });
    return key;
  }

  private async change(tenantId: string, edit: (records: Map<string, string>, fingerprint: string) => void): Promise<void> {
    const key = await this.ensureDirectoryKey();
    const { bucket, fingerprint } = tenantSlot(tenantId, key);
    await this.retrying(bucket, async (etag) => {
      const before = await this.value(bucket);
      const records = parseBucket(bucket, before);
      edit(records, fingerprint);
      const after = records.size === 0 ? undefined : formatBucket(bucket, records);
      if (after === before) return;
      if (after === undefined) await this.client.send(new DeleteKeyCommand({ KvsARN: this.kvsArn, Key: bucket, IfMatch: etag }));
      else await this.client.send(new PutKeyCommand({ KvsARN: this.kvsArn, Key: bucket, Value: after, IfMatch: etag }));
    });
  }

  /** Runs `attempt` with a fresh ETag until it succeeds, redoing it on an ETag conflict. */
  private async retrying(what: string, attempt: (etag: string) => Promise<void>): Promise<void> {
    for (let n = 1; ; n++) {
      const { ETag } = await this.client.send(new DescribeKeyValueStoreCommand({ KvsARN: this.kvsArn }));
      if (!ETag) throw new DirectoryWriteError(`DescribeKeyValueStore of ${this.kvsArn} returned no ETag`);
      try {
        await attempt(ETag);
        return;
      } catch (e) {
        if (!isConflict(e)) throw e;
        if (n >= this.maxAttempts) {
          throw new DirectoryWriteError(`Gave up writing ${what} in ${this.kvsArn} after ${n} attempts: other writers kept changing the store`, { cause: e });
        }
      }
    }
  }

  private async value(key: string): Promise<string | undefined> {
    try {
      return (await this.client.send(new GetKeyCommand({ KvsARN: this.kvsArn, Key: key }))).Value;
    } catch (e) {
      if (e instanceof ResourceNotFoundException || (e as Error)?.name === 'ResourceNotFoundException') return undefined;
      throw e;
    }
  }

  private async directoryKey(): Promise<string> {
    const key = await this.source();
    assertDirectoryKey(key);
    return key;
  }
}

// An ETag that no longer matches: the store changed between our read and our write.
function isConflict(e: unknown): boolean {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return err?.name === 'ConflictException' || err?.$metadata?.httpStatusCode === 409 || err?.$metadata?.httpStatusCode === 412;
}
