import { InstallPayload } from './tenant';

// How tenant items are addressed and what their sealed values are bound to.

const MAX_ID_BYTES = 512;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

/** Partition of a tenant's record, wrapped key and data items. */
export function tenantPartition(clientKey: string): string {
  return `TENANT#${clientKey}`;
}

/** Sort keys of a tenant's items. */
export const SORT = {
  record: 'RECORD',
  key: 'KEY',
  claim: 'CLAIM',
  dataPrefix: 'DATA#',
} as const;

/** Sort key of a data item. */
export function dataSortKey(id: string): string {
  return `${SORT.dataPrefix}${id}`;
}

/** Partition of an installation claim. */
export function claimPartition(installation: string): string {
  return `INSTALLATION#${installation}`;
}

/** The claim of an installation id: how a Forge installation id finds the tenant (Connect-on-Forge included). */
export function installationIdClaim(installationId: string): string {
  return `id:${installationId}`;
}

/**
 * What an install claims: the installation id when Atlassian sends one, else the site
 * (normalized base URL) and product, so two clientKeys cannot hold one installation.
 */
export function installationOf(payload: Pick<InstallPayload, 'baseUrl' | 'productType' | 'installationId'>): string {
  if (payload.installationId) return installationIdClaim(payload.installationId);
  return siteOf(payload);
}

/**
 * Every claim an install takes: its installation, and the site as well. The site is claimed
 * even when an installation id is sent, since a signed install can carry a made-up one.
 */
export function claimsOf(payload: Pick<InstallPayload, 'baseUrl' | 'productType' | 'installationId'>): string[] {
  const installation = installationOf(payload);
  const site = siteOf(payload);
  return installation === site ? [site] : [installation, site];
}

/** The claims a stored tenant holds: the installation it recorded, and its site unless it was installed without one (Forge). */
export function heldClaims(record: Pick<InstallPayload, 'baseUrl' | 'productType' | 'installationId'> & { readonly installation: string; readonly siteClaimed?: boolean }): string[] {
  if (record.siteClaimed === false) return [record.installation];
  return [...new Set([record.installation, ...claimsOf(record)])];
}

function siteOf(payload: Pick<InstallPayload, 'baseUrl' | 'productType'>): string {
  const url = new URL(payload.baseUrl);
  const site = `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`.toLowerCase();
  return `site:${site}|${payload.productType ?? ''}`;
}

/** Associated data of a tenant's sealed shared secret: tenant, purpose and key generation. */
export function secretAad(clientKey: string, kid: string): string {
  return JSON.stringify(['cdk-residency/shared-secret', clientKey, kid]);
}

/** Associated data of a sealed data item: tenant, item id and key generation. */
export function dataAad(clientKey: string, kid: string, id: string): string {
  return JSON.stringify(['cdk-residency/tenant-data', clientKey, kid, id]);
}

/** Whether `value` can be a clientKey or item id: a non-empty string of at most 512 UTF-8 bytes, no control characters. */
export function isTenantId(value: unknown): value is string {
  return typeof value === 'string' && value !== '' && Buffer.byteLength(value, 'utf8') <= MAX_ID_BYTES && !CONTROL_CHARS.test(value);
}

/** Checks a clientKey or item id: a non-empty string of at most 512 UTF-8 bytes, no control characters. */
export function checkId(kind: 'clientKey' | 'data item id', value: unknown): string {
  if (!isTenantId(value)) {
    const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) + (value.length > 40 ? '...' : '') : typeof value;
    throw new TypeError(`A ${kind} must be 1 to ${MAX_ID_BYTES} UTF-8 bytes without control characters, got ${shown}`);
  }
  return value;
}

/** Checks an install payload's fields (never echoing the shared secret). */
export function checkInstallPayload(payload: InstallPayload): InstallPayload {
  checkId('clientKey', payload?.clientKey);
  if (typeof payload.sharedSecret !== 'string' || payload.sharedSecret === '') {
    throw new TypeError(`The install payload of tenant "${payload.clientKey}" has no sharedSecret`);
  }
  let url: URL | undefined;
  try {
    url = typeof payload.baseUrl === 'string' && payload.baseUrl.length <= 1024 ? new URL(payload.baseUrl) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new TypeError(`The install payload of tenant "${payload.clientKey}" needs an http(s) baseUrl of at most 1024 characters, got ${JSON.stringify(String(payload.baseUrl).slice(0, 80))}`);
  }
  for (const field of ['productType', 'displayUrl', 'installationId', 'description'] as const) {
    const value = payload[field];
    // Bytes, not characters: the installation id ends up in a partition key (at most 2,048 bytes).
    if (value !== undefined && (typeof value !== 'string' || Buffer.byteLength(value, 'utf8') > 1024)) {
      throw new TypeError(`The install payload of tenant "${payload.clientKey}" has a ${field} that is not a string of at most 1024 UTF-8 bytes`);
    }
  }
  return payload;
}
