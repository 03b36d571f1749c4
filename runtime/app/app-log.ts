import { Logger } from './logger';

/** A log field value: scalars only, so no object (a body, a token set) lands in the log whole. */
export type LogValue = string | number | boolean | null;

/** The vendor's log: JSON lines that carry the tenant id and the route. */
export interface AppLog {
  info(message: string, fields?: Readonly<Record<string, LogValue>>): void;
  warn(message: string, fields?: Readonly<Record<string, LogValue>>): void;
  error(message: string, fields?: Readonly<Record<string, LogValue>>): void;
}

const MAX_FIELDS = 20;
const MAX_CHARS = 1000;
// Field names that name credentials, and values shaped like a JWT: never logged.
const SECRET_NAME = /token|secret|password|authorization|cookie|jwt/i;
const JWT_SHAPE = /eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;

/** The log of one request: `message` and up to 20 scalar fields, with the tenant and route added (and not overridable). */
export function appLog(log: Logger, tenant: string, route: string): AppLog {
  const write = (level: 'info' | 'warn' | 'error') => (message: string, fields: Readonly<Record<string, LogValue>> = {}) => {
    const kept: Record<string, LogValue> = {};
    for (const [name, value] of Object.entries(fields).slice(0, MAX_FIELDS)) {
      if (SECRET_NAME.test(name)) kept[name] = '[redacted]';
      else if (typeof value === 'string') kept[name] = clean(value);
      else if (value === null || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) kept[name] = value;
    }
    log({ ...kept, level, event: 'app', message: clean(String(message)), tenant, route });
  };
  return { info: write('info'), warn: write('warn'), error: write('error') };
}

function clean(s: string): string {
  return s.slice(0, MAX_CHARS).replace(JWT_SHAPE, '[redacted]');
}
