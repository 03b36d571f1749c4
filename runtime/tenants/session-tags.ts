import { tenantObjectSegment } from '../migration/object-store';

/**
 * The session tags of a tenant-scoped STS session, by key: `tenant` is the tenant id (the
 * role's policy keys the table partition and the data-key encryption context on it),
 * `tenantObjects` the tenant's object-prefix segment (the bucket keys are escaped, the tag
 * must equal them).
 */
export const SESSION_TAG = { tenant: 'tenant', objects: 'tenantObjects' } as const;

/** The longest session tag value STS accepts. */
export const MAX_SESSION_TAG_CHARS = 256;

// What STS accepts in a session tag value: letters, digits, spaces and _ . : / = + - @.
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** A tenant id that cannot name an STS session (too long, or a character session tags refuse). */
export class TenantSessionTagError extends TypeError {
  constructor(tenant: string, why: string) {
    super(`Tenant id ${JSON.stringify(tenant.slice(0, 40))}${tenant.length > 40 ? '...' : ''} cannot be an STS session tag value: ${why}`);
    this.name = 'TenantSessionTagError';
  }
}

/**
 * The session tags of `tenant`'s session. Connect clientKeys (UUIDs) and Forge installation ARIs
 * (`ari:cloud:ecosystem::installation/<uuid>`) fit; an id with other characters or over 256 is refused.
 * @throws TenantSessionTagError naming the tenant and why
 */
export function sessionTagsOf(tenant: string): { readonly Key: string; readonly Value: string }[] {
  if (typeof tenant !== 'string' || tenant === '') throw new TenantSessionTagError(String(tenant), 'it is empty');
  const objects = tenantObjectSegment(tenant);
  for (const [what, value] of [['the id', tenant], ['its object prefix', objects]] as const) {
    if (value.length > MAX_SESSION_TAG_CHARS) throw new TenantSessionTagError(tenant, `${what} has ${value.length} characters, more than ${MAX_SESSION_TAG_CHARS}`);
    if (!TAG_VALUE.test(value)) throw new TenantSessionTagError(tenant, `${what} has a character outside letters, digits, spaces and _ . : / = + - @`);
  }
  return [
    { Key: SESSION_TAG.tenant, Value: tenant },
    { Key: SESSION_TAG.objects, Value: objects },
  ];
}
