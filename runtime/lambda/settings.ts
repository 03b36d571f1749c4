import { ENV } from './environment';

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
    } else if (key === 'shredAfterDays') {
      const days = Number(raw);
      if (Number.isInteger(days) && days >= 1) out[key] = days;
      else problems.push(`${name} is not a whole number of days`);
    } else {
      out[key] = raw;
    }
  }
  if (problems.length > 0) throw new Error(`cdk-residency runtime settings: ${problems.join('; ')}`);
  return out as Pick<RealmSettings, K>;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
