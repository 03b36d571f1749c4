import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Path of the embedded example config. */
export const EXAMPLE_CONFIG_PATH = join(__dirname, '..', '..', 'residency.config.json');

/** A fresh, mutable copy of the example config as parsed JSON. */
export function exampleConfigJson(): any {
  return JSON.parse(readFileSync(EXAMPLE_CONFIG_PATH, 'utf8'));
}
