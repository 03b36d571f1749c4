import { REALM_NAMES, ResidencyConfig, parseConfig } from '../../lib/config';
import { exampleConfigJson } from '../helpers/example-config';

/** The example config with every realm Atlassian offers, each on its primary region. */
export function allRealmsConfig(): ResidencyConfig {
  const c = exampleConfigJson();
  c.realms = Object.fromEntries(REALM_NAMES.map((name) => [name, {}]));
  return parseConfig(c, 'all-realms');
}

/** The example config serving Global alone. */
export function globalOnlyConfig(): ResidencyConfig {
  const c = exampleConfigJson();
  c.realms = { Global: { region: 'us-east-1' } };
  return parseConfig(c, 'global-only');
}

/** The example config with one change applied before validation. */
export function exampleWith(change: (c: any) => void): ResidencyConfig {
  const c = exampleConfigJson();
  change(c);
  return parseConfig(c, 'example');
}
