// The public API of `cdk-residency/runtime`: code that runs in Lambda.
export * from './connect-auth';
export * from './crypto';
export * from './tenants';
export * from './secrets';
export * from './lifecycle';
export * from './app';
export * from './http/request';
export * from './http/security-headers';
export * from './lambda/authorizer';
export * from './lambda/environment';
export * from './lambda/settings';
export * from './directory';
export * from './migration';
export * from './lambda/realm-stores';
export * from './objects';
