export * from './hooks';
export * from './lifecycle-body';
