// Loads the vendor's app module for the dev server and dev:install: the loader synth uses,
// with the entry named as the command line names it.
import { AppEntryError, loadAppEntry } from '../constructs/app-entry/load-app-entry';
import type { ResidentApp } from '../runtime/app/define-app';

export { AppEntryError };

/** The app the dev tools serve when `--app` is not given. */
export const DEFAULT_APP_ENTRY = 'examples/notes/app.ts';

/** The default export of the module at `entry` (relative to the working directory), which must be a `defineApp` app. */
export async function loadApp(entry: string): Promise<ResidentApp> {
  return loadAppEntry(entry, `--app ${entry}`);
}
