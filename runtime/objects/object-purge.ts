import { DeleteObjectsCommand, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import type { ObjectStore } from '../migration/object-store';
import { requireBucketName } from './bucket-name';

/** Removes every object under a prefix for good. */
export interface ObjectPurger {
  /**
   * Deletes everything stored under `prefix` (in a versioned bucket every version and delete
   * marker) and resolves to how many entries it deleted once none is left. Idempotent, and
   * resumable: each round lists what remains from the start, so an interrupted purge run again
   * finishes the job. Throws when an entry could not be deleted (nothing is reported done then).
   */
  purge(prefix: string): Promise<number>;
}

/** Props of {@link S3ObjectPurger}. */
export interface S3ObjectPurgerProps {
  /** The realm's data bucket (versioned). */
  readonly bucketName: string;
  /** An S3 client in the bucket's region (on a tenant session: `s3:ListBucketVersions` and `s3:DeleteObjectVersion` under the tenant's prefix). */
  readonly client: S3Client;
}

/** Purges a prefix of a versioned S3 bucket: `ListObjectVersions` then `DeleteObjects` of up to 1,000 versions and delete markers a round. */
export class S3ObjectPurger implements ObjectPurger {
  constructor(private readonly props: S3ObjectPurgerProps) {
    requireBucketName('S3ObjectPurger', props);
  }

  public async purge(prefix: string): Promise<number> {
    checkPrefix(prefix);
    let deleted = 0;
    for (;;) {
      // From the start each round: deleted entries drop out of the listing, so no marker is carried.
      const page = await this.props.client.send(new ListObjectVersionsCommand({ Bucket: this.props.bucketName, Prefix: prefix, MaxKeys: 1000 }));
      const entries = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]
        .filter((v) => v.Key !== undefined && v.Key.startsWith(prefix))
        .map((v) => ({ Key: v.Key!, ...(v.VersionId ? { VersionId: v.VersionId } : {}) }));
      if (entries.length === 0) return deleted;
      const out = await this.props.client.send(new DeleteObjectsCommand({ Bucket: this.props.bucketName, Delete: { Objects: entries, Quiet: true } }));
      const failed = out.Errors ?? [];
      if (failed.length > 0) throw new Error(`Purging ${prefix} left ${failed.length} object versions undeleted (first: ${failed[0]!.Code ?? 'error'} ${failed[0]!.Message ?? ''})`.trim());
      deleted += entries.length;
    }
  }
}

/** Purges a prefix of an unversioned {@link ObjectStore} (the dev server's in-memory store): list and delete until none is left. */
export class StoreObjectPurger implements ObjectPurger {
  constructor(private readonly store: ObjectStore) {}

  public async purge(prefix: string): Promise<number> {
    checkPrefix(prefix);
    let deleted = 0;
    for (;;) {
      const page = await this.store.list(prefix, undefined, 1000);
      if (page.objects.length === 0) return deleted;
      for (const o of page.objects) await this.store.delete(o.key);
      deleted += page.objects.length;
    }
  }
}

// A purge of '' or of a prefix not ending in '/' would reach other tenants' objects.
function checkPrefix(prefix: string): void {
  if (typeof prefix !== 'string' || !prefix.startsWith('tenants/') || !prefix.endsWith('/') || prefix.length <= 'tenants//'.length) {
    throw new TypeError(`An object purge takes one tenant's prefix (tenants/<id>/), got ${JSON.stringify(String(prefix).slice(0, 60))}`);
  }
}
