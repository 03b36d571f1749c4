// Tenants of one app in one realm: lifecycle, envelope-encrypted shared secrets, sealed data.
export * from './table-layout';
export * from './tenant';
export * from './tenant-store';
export * from './dynamo-tenant-store';
