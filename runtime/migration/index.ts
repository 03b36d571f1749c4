// Data residency migration: moving a tenant between realm stacks on Atlassian's hooks.
export * from './hook-bodies';
export * from './in-memory-object-store';
export * from './migration-engine';
export * from './migration-hooks';
export { FINISHED_STATES, type MigrationRecord, type MigrationState } from './migration-record';
export * from './migration-refusal';
export * from './object-store';
export * from './realm-stores';
export * from './s3-object-store';
export * from './function-migration-hooks';
