// The public API of `cdk-residency`: config, stacks, constructs and compliance.
export * from './config';
export * from './compliance';
export * from './stacks/realm-stack';
export * from './stacks/residency-app';
export * from '../constructs/acknowledge';
export * from '../constructs/app-secrets';
export * from '../constructs/data-bucket';
export * from '../constructs/realm-backup';
export * from '../constructs/realm-key';
export * from '../constructs/realm-log-group';
export * from '../constructs/tenant-store';
export * from './atlassian';
export * from '../constructs/app-function';
export * from '../constructs/private-network';
export * from '../constructs/secure-api';
