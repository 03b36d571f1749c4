export * from './apply';
export * from './control-tower';
