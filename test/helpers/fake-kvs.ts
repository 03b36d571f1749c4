import {
  CloudFrontKeyValueStoreClient,
  ConflictException,
  DeleteKeyCommand,
  DescribeKeyValueStoreCommand,
  GetKeyCommand,
  ListKeysCommand,
  PutKeyCommand,
  ResourceNotFoundException,
  UpdateKeysCommand,
  ValidationException,
} from '@aws-sdk/client-cloudfront-keyvaluestore';
import { mockClient } from 'aws-sdk-client-mock';
import { DIRECTORY_LAYOUT } from '../../runtime/directory';

/**
 * A KeyValueStore data plane behind the mocked client, with the service's ETag semantics:
 * a store-wide ETag that every write (PutKey, DeleteKey, UpdateKeys) must name in `IfMatch`
 * (else ConflictException) and that changes on every write; UpdateKeys applies its puts and
 * deletes at once (refusing more than the writer's own cap of 50). `latencyMs` delays each call by a random time up to it, so
 * concurrent writers interleave as they do over the network; `rivalWrites` simulates another
 * writer changing the store just after a bucket is read.
 */
export class FakeStore {
  public readonly entries = new Map<string, string>();
  public version = 1;
  public rivalWrites = 0;
  /** Writes accepted and refused for a stale ETag. */
  public writes = 0;
  public conflicts = 0;
  /** Reads served: GetKey calls and ListKeys pages. */
  public reads = 0;
  /** ListKeys pages served (also counted in `reads`). */
  public lists = 0;
  constructor(private readonly latencyMs = 0) {}
  public get etag(): string {
    return `ETAG${this.version}`;
  }
  public install(client: CloudFrontKeyValueStoreClient) {
    const kvs = mockClient(client);
    const meta = () => ({ ItemCount: this.entries.size, TotalSizeInBytes: 0 });
    const delay = () => (this.latencyMs > 0 ? new Promise((r) => setTimeout(r, Math.random() * this.latencyMs)) : Promise.resolve());
    const checkEtag = (ifMatch?: string) => {
      if (ifMatch !== this.etag) {
        this.conflicts++;
        throw new ConflictException({ message: 'Pre-Condition failed', $metadata: { httpStatusCode: 409 } });
      }
    };
    const wrote = () => {
      this.version++;
      this.writes++;
      return { ETag: this.etag, ...meta() };
    };
    kvs.on(DescribeKeyValueStoreCommand).callsFake(async ({ KvsARN }) => {
      await delay();
      return { KvsARN, ETag: this.etag, Created: new Date(0), ...meta() };
    });
    kvs.on(GetKeyCommand).callsFake(async ({ Key }) => {
      await delay();
      this.reads++;
      const value = this.entries.get(Key);
      if (Key !== DIRECTORY_LAYOUT.keyEntry && this.rivalWrites > 0) {
        this.rivalWrites--;
        this.version++;
      }
      if (value === undefined) throw new ResourceNotFoundException({ message: 'Key not found', $metadata: { httpStatusCode: 404 } });
      return { Key, Value: value, ...meta() };
    });
    kvs.on(ListKeysCommand).callsFake(async ({ NextToken, MaxResults }) => {
      await delay();
      this.reads++;
      this.lists++;
      const keys = [...this.entries.keys()].sort();
      const from = NextToken ? keys.findIndex((k) => k > NextToken) : 0;
      const page = from < 0 ? [] : keys.slice(from, from + Math.min(MaxResults ?? 10, 50));
      const last = page[page.length - 1];
      return { Items: page.map((Key) => ({ Key, Value: this.entries.get(Key) })), NextToken: last !== undefined && last !== keys[keys.length - 1] ? last : undefined };
    });
    kvs.on(PutKeyCommand).callsFake(async ({ Key, Value, IfMatch }) => {
      await delay();
      checkEtag(IfMatch);
      this.entries.set(Key, Value);
      return wrote();
    });
    kvs.on(DeleteKeyCommand).callsFake(async ({ Key, IfMatch }) => {
      await delay();
      checkEtag(IfMatch);
      this.entries.delete(Key);
      return wrote();
    });
    kvs.on(UpdateKeysCommand).callsFake(async ({ IfMatch, Puts = [], Deletes = [] }) => {
      await delay();
      if (Puts.length + Deletes.length > 50) throw new ValidationException({ message: 'At most 50 keys per UpdateKeys', $metadata: { httpStatusCode: 400 } });
      checkEtag(IfMatch);
      for (const { Key } of Deletes) this.entries.delete(Key);
      for (const { Key, Value } of Puts) this.entries.set(Key, Value);
      return wrote();
    });
    return kvs;
  }
}
