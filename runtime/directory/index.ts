export * from './tenant-directory';
export * from './in-memory-directory';
export * from './key-value-store-directory';
export * from './directory-key';
export * from './directory-image';
export * from './bucket-records';
export * from './tenant-slot';
export * from './layout';
