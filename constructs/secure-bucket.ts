import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * What every bucket of the toolkit is, whatever it holds: SSE-KMS (give `encryptionKey`) with a
 * bucket key, all public access blocked, TLS 1.2+ only, versioned, ACLs disabled.
 */
export const SECURE_BUCKET: s3.BucketProps = {
  encryption: s3.BucketEncryption.KMS,
  bucketKeyEnabled: true,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  enforceSSL: true,
  minimumTLSVersion: 1.2,
  versioned: true,
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
};
