export * from './hooks';
export * from './lifecycle-body';
export * from './forge-lifecycle';
export * from './realm-sweep';
