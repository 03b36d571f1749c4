import {
  CloudFrontKeyValueStoreClient,
  ConflictException,
  DeleteKeyCommand,
  DescribeKeyValueStoreCommand,
  GetKeyCommand,
  PutKeyCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudfront-keyvaluestore';
import { mockClient } from 'aws-sdk-client-mock';
import { DIRECTORY_LAYOUT } from '../../runtime/directory';

/**
 * A KeyValueStore data plane behind the mocked client: entries, and a store-wide ETag that
 * every write must match and changes; `rivalWrites` simulates another writer changing the
 * store just after a bucket is read (between our ETag read and our write).
 */
export class FakeStore {
  public readonly entries = new Map<string, string>();
  public version = 1;
  public rivalWrites = 0;
  public get etag(): string {
    return `ETAG${this.version}`;
  }
  public install(client: CloudFrontKeyValueStoreClient) {
    const kvs = mockClient(client);
    const meta = () => ({ ItemCount: this.entries.size, TotalSizeInBytes: 0 });
    const checkEtag = (ifMatch?: string) => {
      if (ifMatch !== this.etag) throw new ConflictException({ message: 'Pre-Condition failed', $metadata: { httpStatusCode: 409 } });
    };
    kvs.on(DescribeKeyValueStoreCommand).callsFake(({ KvsARN }) => ({ KvsARN, ETag: this.etag, Created: new Date(0), ...meta() }));
    kvs.on(GetKeyCommand).callsFake(({ Key }) => {
      const value = this.entries.get(Key);
      if (Key !== DIRECTORY_LAYOUT.keyEntry && this.rivalWrites > 0) {
        this.rivalWrites--;
        this.version++;
      }
      if (value === undefined) throw new ResourceNotFoundException({ message: 'Key not found', $metadata: { httpStatusCode: 404 } });
      return { Key, Value: value, ...meta() };
    });
    kvs.on(PutKeyCommand).callsFake(({ Key, Value, IfMatch }) => {
      checkEtag(IfMatch);
      this.entries.set(Key, Value);
      this.version++;
      return { ETag: this.etag, ...meta() };
    });
    kvs.on(DeleteKeyCommand).callsFake(({ Key, IfMatch }) => {
      checkEtag(IfMatch);
      this.entries.delete(Key);
      this.version++;
      return { ETag: this.etag, ...meta() };
    });
    return kvs;
  }
}
