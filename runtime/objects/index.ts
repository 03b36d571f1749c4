// A tenant's objects in the realm bucket (under the tenant prefix migrations move), and presigned URLs.
export * from './object-key';
export * from './object-url-signer';
export * from './tenant-objects';
export * from './object-purge';
