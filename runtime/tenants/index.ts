// Tenants of one app in one realm: lifecycle, envelope-encrypted shared secrets, sealed data.
export * from './table-layout';
export * from './tenant';
export * from './tenant-store';
export * from './dynamo-tenant-store';
export * from './data-errors';
export { MAX_ITEM_VALUE_BYTES, MAX_LIST_LIMIT } from './sealed-tenant-data';
export * from './tenant-sessions';
export * from './session-tenant-stores';
export { SESSION_TAG, MAX_SESSION_TAG_CHARS, TenantSessionTagError, sessionTagsOf } from './session-tags';
