import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Path of the embedded example config. */
export const EXAMPLE_CONFIG_PATH = join(__dirname, '..', '..', 'residency.config.json');

/**
 * A fresh, mutable copy of the example config as parsed JSON, its `app.entry` made absolute so the
 * copy means the same app wherever a test writes or parses it.
 */
export function exampleConfigJson(): any {
  const json = JSON.parse(readFileSync(EXAMPLE_CONFIG_PATH, 'utf8'));
  if (typeof json.app?.entry === 'string') json.app.entry = resolve(dirname(EXAMPLE_CONFIG_PATH), json.app.entry);
  return json;
}
