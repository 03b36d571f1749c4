export * from './authenticate';
export * from './create-app';
export * from './logger';
export * from './match-route';
export * from './notes';
export * from './request-authentication';
export * from './routes';
