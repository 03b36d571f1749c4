/** One structured log entry; callers never put tokens, secrets or request bodies in it. */
export type LogEntry = { readonly level: 'info' | 'warn' | 'error'; readonly event: string } & Record<string, unknown>;

/** Where the runtime logs. */
export type Logger = (entry: LogEntry) => void;

/** Logs one JSON line per entry on stdout (CloudWatch Logs in Lambda). */
export const jsonLogger: Logger = (entry) => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
};
