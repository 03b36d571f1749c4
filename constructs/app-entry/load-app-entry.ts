import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppDefinitionError } from '../../runtime/app/app-definition-error';
import { ResidentApp, isResidentApp } from '../../runtime/app/define-app';

/** An app entry that cannot be hosted; its message is the one line to print (what and where, no stack trace). */
export class AppEntryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AppEntryError';
  }
}

// One load per module path and process: synth reads the entry in bin/, each realm stack and the descriptor.
const loaded = new Map<string, ResidentApp>();

/**
 * The default export of the module at `entry`, which must be an app made by `defineApp`
 * (`export default defineApp({ routes, connect })`). Loaded synchronously with `require`, so a
 * `.ts` entry needs a TypeScript loader in the process (`tsx`, `ts-node`, Jest), as CDK apps have.
 * `label` names the entry in messages (`--app x.ts`, `app.entry x.ts in residency.config.json`).
 * @throws AppEntryError for a missing file, a module that fails to load (syntax error, a refused
 *   `defineApp`), no default export, or a default export that is not an app
 */
export function loadAppEntry(entry: string, label: string = `app.entry ${entry}`): ResidentApp {
  const path = resolve(entry);
  const known = loaded.get(path);
  if (known) return known;
  if (!existsSync(path) || !statSync(path).isFile()) throw new AppEntryError(`${label}: no such file (${path})`);
  let mod: Record<string, unknown>;
  try {
    mod = require(path) as Record<string, unknown>; // eslint-disable-line @typescript-eslint/no-require-imports
  } catch (err) {
    if (err instanceof AppDefinitionError || (err as Error)?.name === 'AppDefinitionError') {
      throw new AppEntryError(`${label}: defineApp refused the app: ${firstLine(err)}`);
    }
    throw new AppEntryError(`${label}: the module failed to load: ${firstLine(err)}`);
  }
  // An ES module compiled to CommonJS has `default`; a CommonJS module may export the app itself.
  const value = mod !== null && typeof mod === 'object' && 'default' in mod ? mod.default : isResidentApp(mod) ? mod : undefined;
  if (value === undefined) throw new AppEntryError(`${label} has no default export; expected \`export default defineApp({ routes, connect })\``);
  if (!isResidentApp(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    throw new AppEntryError(`${label}: its default export is ${kind}, not an app made by defineApp from cdk-residency/runtime`);
  }
  loaded.set(path, value);
  return value;
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  // tsx and esbuild start with "Transform failed with 1 error:", then file:line:col and the error; the rest is a code frame.
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !/^(Transform|Build) failed with \d+ errors?:?$/.test(l));
  return lines[0] ?? 'unknown error';
}
