export * from './realms';
export * from './schema';
export * from './problems';
export * from './load';
