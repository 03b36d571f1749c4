export * from './connect-descriptor';
