import { HTTP_METHODS, RouteSpec } from '../app/routes';
import { ENV } from './environment';

/** Where one realm's tenant data lives, as the migration hooks reach it. */
export interface MigrationRealmSettings {
  /** The AWS region of the realm's stack. */
  readonly region: string;
  /** The realm that owns that stack (the encryption context `realm` of its tenant data keys). */
  readonly stackRealm: string;
  /** The realm's tenant table. */
  readonly tableName: string;
  /** ARN of the realm key. */
  readonly keyArn: string;
  /** The realm's data bucket, when it has one. */
  readonly bucketName?: string;
}

/** The settings a realm stack passes to the app's functions, read from the environment. */
export interface RealmSettings {
  readonly appKey: string;
  readonly realm: string;
  readonly baseUrl: string;
  readonly baseUrls: readonly string[];
  readonly tableName: string;
  readonly keyArn: string;
  readonly secretPrefix: string;
  readonly shredAfterDays: number;
  /** Every realm a tenant may migrate between, by realm name (this one included). */
  readonly migrationRealms: Readonly<Record<string, MigrationRealmSettings>>;
  /** How many migrations out of this realm may be open at once. */
  readonly migrationMaxConcurrent: number;
  /** The Forge app id, for a Forge remote's invocation tokens. */
  readonly forgeAppId: string;
  /** Name or ARN of the tenant directory function to invoke. */
  readonly directoryFunction: string;
  /** Name or ARN of the realm's migration function. */
  readonly migrationFunction: string;
  /** The realms a directory function may record tenants in. */
  readonly directoryRealms: readonly string[];
  /** ARN of the tenant directory's KeyValueStore. */
  readonly directoryKvsArn: string;
  /** ARN of the directory key secret. */
  readonly directoryKeySecretArn: string;
  /** The routes an authorizer stands in front of (method, path, auth). */
  readonly routes: readonly RouteSpec[];
  /** ARN of the tenant-access role (tenant sessions). */
  readonly tenantRoleArn: string;
  /** The realm's data bucket. */
  readonly bucketName: string;
}

/**
 * Reads the named settings from `env`.
 * @throws Error naming every missing or malformed variable (at cold start, never per request)
 */
export function readSettings<K extends keyof RealmSettings>(keys: readonly K[], env: NodeJS.ProcessEnv = process.env): Pick<RealmSettings, K> {
  const out: Partial<Record<keyof RealmSettings, unknown>> = {};
  const problems: string[] = [];
  for (const key of keys) {
    const name = ENV[key];
    const raw = env[name];
    if (raw === undefined || raw === '') {
      problems.push(`${name} is not set`);
    } else if (key === 'baseUrls') {
      const list = safeJson(raw);
      if (Array.isArray(list) && list.length > 0 && list.every((u) => typeof u === 'string' && u.startsWith('https://'))) out[key] = list;
      else problems.push(`${name} is not a JSON array of https URLs`);
    } else if (key === 'directoryRealms') {
      const list = safeJson(raw);
      if (Array.isArray(list) && list.length > 0 && list.every((r) => typeof r === 'string' && r !== '')) out[key] = list;
      else problems.push(`${name} is not a JSON array of realm names`);
    } else if (key === 'shredAfterDays') {
      const days = Number(raw);
      if (Number.isInteger(days) && days >= 1) out[key] = days;
      else problems.push(`${name} is not a whole number of days`);
    } else if (key === 'migrationMaxConcurrent') {
      const max = Number(raw);
      if (Number.isInteger(max) && max >= 1) out[key] = max;
      else problems.push(`${name} is not a whole number of migrations >= 1`);
    } else if (key === 'routes') {
      const routes = routesOf(safeJson(raw));
      if (routes) out[key] = routes;
      else problems.push(`${name} is not a JSON array of routes ({ method, path, auth })`);
    } else if (key === 'migrationRealms') {
      const realms = migrationRealmsOf(safeJson(raw));
      if (typeof realms === 'string') problems.push(`${name} ${realms}`);
      else out[key] = realms;
    } else {
      out[key] = raw;
    }
  }
  if (problems.length > 0) throw new Error(`cdk-residency runtime settings: ${problems.join('; ')}`);
  return out as Pick<RealmSettings, K>;
}

const REALM_FIELDS = ['region', 'stackRealm', 'tableName', 'keyArn'] as const;

/** The realms of `RESIDENCY_MIGRATION_REALMS`, or what is wrong with them. */
function migrationRealmsOf(value: unknown): Record<string, MigrationRealmSettings> | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.keys(value).length === 0) {
    return 'is not a JSON object from realm name to realm settings';
  }
  for (const [realm, entry] of Object.entries(value as Record<string, unknown>)) {
    const e = entry as Record<string, unknown> | null;
    const missing = REALM_FIELDS.filter((f) => typeof e?.[f] !== 'string' || e[f] === '');
    if (typeof e !== 'object' || e === null) return `has realm ${realm} without settings`;
    if (missing.length > 0) return `has realm ${realm} without ${missing.join(', ')}`;
    if (e.bucketName !== undefined && (typeof e.bucketName !== 'string' || e.bucketName === '')) return `has realm ${realm} with an empty bucketName`;
  }
  return value as Record<string, MigrationRealmSettings>;
}

const AUTHS: readonly string[] = ['install', 'connect', 'context', 'forge'];

/** The routes of `RESIDENCY_ROUTES`, or undefined when any entry is not a route. */
function routesOf(value: unknown): RouteSpec[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const ok = value.every((r) =>
    typeof r === 'object' && r !== null && (HTTP_METHODS as readonly string[]).includes(r.method) && typeof r.path === 'string' && r.path.startsWith('/') && AUTHS.includes(r.auth)
    && (r.forgeModules === undefined || (Array.isArray(r.forgeModules) && r.forgeModules.every((m: unknown) => typeof m === 'string')))
    && (r.forgeSystemOnly === undefined || typeof r.forgeSystemOnly === 'boolean'),
  );
  return ok ? (value as RouteSpec[]) : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
