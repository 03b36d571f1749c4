// Envelope encryption: per-tenant data keys from a key source, values sealed with AES-256-GCM.
export * from './key-source';
export * from './kms-key-source';
export * from './local-key-source';
export * from './seal';
