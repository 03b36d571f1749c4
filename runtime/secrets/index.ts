// The app's own secrets (not tenants'): Secrets Manager values, cached.
export * from './app-secrets';
