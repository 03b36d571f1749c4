import { existsSync } from 'node:fs';
import * as path from 'node:path';

// The package root: two levels above this folder, from the sources or from dist/.
const ROOT = [path.join(__dirname, '..', '..'), path.join(__dirname, '..', '..', '..')].find((dir) =>
  existsSync(path.join(dir, 'examples', 'notes', 'app.ts')),
) ?? path.join(__dirname, '..', '..');

/**
 * The app a realm hosts when none is given: the notes example (`examples/notes/app.ts`),
 * which ships with the package.
 */
export const DEFAULT_APP_ENTRY = path.join(ROOT, 'examples', 'notes', 'app.ts');

/**
 * The module to read an entry's routes from at synthesis. A `.ts` entry of this package run
 * from plain Node (a CDK app compiled to JavaScript) has a compiled twin under `dist/`;
 * any other entry is read as it is.
 */
export function loadableAppEntry(entry: string): string {
  const rel = path.relative(ROOT, entry);
  if (rel.startsWith('..') || !entry.endsWith('.ts') || hasTypeScriptLoader()) return entry;
  const twin = path.join(ROOT, 'dist', rel.replace(/\.ts$/, '.js'));
  return existsSync(twin) ? twin : entry;
}

/** The package's runtime sources: what `cdk-residency/runtime` means in every app bundle. */
export const RUNTIME_SOURCE = path.join(ROOT, 'runtime', 'index.ts');

function hasTypeScriptLoader(): boolean {
  // tsx and ts-node register a `.ts` require hook; Jest's own require (no `.js` entry either) transforms what it serves.
  const extensions = require.extensions; // eslint-disable-line n/no-deprecated-api
  return extensions?.['.ts'] !== undefined || (extensions !== undefined && extensions['.js'] === undefined);
}
