import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { requireBucketName } from './bucket-name';

/** What a presigned URL lets its holder do. */
export interface PresignRequest {
  readonly method: 'GET' | 'PUT';
  /** The full object key (tenant prefix included). */
  readonly key: string;
  /** Seconds the URL stays valid. */
  readonly expiresIn: number;
  /** For PUT: the content type the upload must declare. */
  readonly contentType?: string;
}

/** Signs short-lived URLs for one bucket's objects. */
export interface ObjectUrlSigner {
  presign(request: PresignRequest): Promise<string>;
}

/** Props of {@link S3ObjectUrlSigner}. */
export interface S3ObjectUrlSignerProps {
  /** The realm's data bucket. */
  readonly bucketName: string;
  /** An S3 client in the bucket's region, on the credentials the URL should carry. */
  readonly client: S3Client;
}

/**
 * SigV4 presigned URLs for the realm bucket. No encryption parameters: the bucket's default
 * SSE-KMS (realm key) applies to uploads, and downloads decrypt through the signer's role.
 */
export class S3ObjectUrlSigner implements ObjectUrlSigner {
  constructor(private readonly props: S3ObjectUrlSignerProps) {
    requireBucketName('S3ObjectUrlSigner', props);
  }

  public presign(request: PresignRequest): Promise<string> {
    const target = { Bucket: this.props.bucketName, Key: request.key };
    const command = request.method === 'GET'
      ? new GetObjectCommand(target)
      : new PutObjectCommand({ ...target, ...(request.contentType ? { ContentType: request.contentType } : {}) });
    // Signing content-type makes S3 refuse an upload that declares another one.
    const signed = request.method === 'PUT' && request.contentType ? { signableHeaders: new Set(['content-type']) } : {};
    return getSignedUrl(this.props.client, command, { expiresIn: request.expiresIn, ...signed });
  }
}
