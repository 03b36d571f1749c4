// Loads the vendor's app module for the dev server and dev:install, refusing anything that is
// not an app with one clear line.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ResidentApp, isResidentApp } from '../runtime/app/define-app';

/** The app the dev tools serve when `--app` is not given. */
export const DEFAULT_APP_ENTRY = 'examples/notes/app.ts';

/** An app entry that cannot be served; its message is the one line to print. */
export class AppEntryError extends Error {}

/** The default export of the module at `entry` (relative to the working directory), which must be a `defineApp` app. */
export async function loadApp(entry: string): Promise<ResidentApp> {
  const path = resolve(entry);
  if (!existsSync(path) || !statSync(path).isFile()) throw new AppEntryError(`--app ${entry}: no such file (${path})`);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (err) {
    const e = err as Error;
    throw new AppEntryError(`--app ${entry}: the module failed to load: ${(e?.message ?? String(err)).split('\n', 1)[0]}`);
  }
  // A CommonJS-compiled module arrives with its exports as `default`, its own default inside.
  const inner = mod.default as Record<string, unknown> | undefined;
  const value = isResidentApp(inner) ? inner : inner && typeof inner === 'object' && 'default' in inner ? inner.default : inner;
  if (value === undefined) throw new AppEntryError(`--app ${entry} has no default export; expected \`export default defineApp({ routes, connect })\``);
  if (!isResidentApp(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    throw new AppEntryError(`--app ${entry}: its default export is ${kind}, not an app made by defineApp from cdk-residency/runtime`);
  }
  return value;
}
