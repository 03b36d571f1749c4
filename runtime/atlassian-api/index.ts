export * from './atlassian-api';
export * from './connect-request-token';
export * from './egress-handler';
export * from './egress-messages';
export * from './egress-target';
export * from './errors';
export * from './function-egress';
