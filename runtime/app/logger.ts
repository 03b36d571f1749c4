/** One structured log entry; callers never put tokens, secrets or request bodies in it. */
export type LogEntry = { readonly level: 'info' | 'warn' | 'error'; readonly event: string } & Record<string, unknown>;

/** Where the runtime logs. */
export type Logger = (entry: LogEntry) => void;

// JSON.stringify leaves these line separators raw; some log readers split lines on them.
const LINE_SEPARATORS = /[\u0085\u2028\u2029]/g;

/** One log entry as one JSON line: line separators escaped, so a value cannot start a forged line. */
export function logLine(entry: object): string {
  return `${JSON.stringify(entry).replace(LINE_SEPARATORS, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}

/** Logs one JSON line per entry on stdout (CloudWatch Logs in Lambda). */
export const jsonLogger: Logger = (entry) => {
  process.stdout.write(logLine({ time: new Date().toISOString(), ...entry }));
};
