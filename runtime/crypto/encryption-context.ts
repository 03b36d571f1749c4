import { EncryptionContext } from './key-source';

// Internal helpers: not part of the public API (not re-exported from index.ts).

/** The context as a plain record, after checking every field is a non-empty string. */
export function contextRecord(context: EncryptionContext): Record<'app' | 'realm' | 'tenant', string> {
  for (const field of ['app', 'realm', 'tenant'] as const) {
    if (typeof context?.[field] !== 'string' || context[field] === '') {
      throw new TypeError(`An encryption context needs a non-empty "${field}", got ${JSON.stringify(context?.[field])}`);
    }
  }
  return { app: context.app, realm: context.realm, tenant: context.tenant };
}

/** One unambiguous string for a context (a JSON array), used as associated data. */
export function canonicalContext(context: EncryptionContext): string {
  const { app, realm, tenant } = contextRecord(context);
  return JSON.stringify(['cdk-residency/data-key', app, realm, tenant]);
}

/** The context for a message: names the tenant, never key material. */
export function describeContext(context: EncryptionContext): string {
  return `app "${context.app}", realm "${context.realm}", tenant "${context.tenant}"`;
}
