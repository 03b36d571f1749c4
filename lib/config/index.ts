export * from './realms';
export * from './availability-zones';
export { SCOPES, ELEVATED_SCOPES, LOG_RETENTION_DAYS, configSchema, ConfigInput } from './schema';
export { ConfigError, ConfigProblem } from './problems';
export * from './load';
