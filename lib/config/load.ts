import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { DEFAULT_APP_ENTRY } from '../../constructs/app-entry/default-app-entry';
import { REALM_NAMES, RealmName } from './realms';
import { ConfigError, ConfigProblem, problemsFrom } from './problems';
import { ConfigInput, configSchema, defaultHostname, stackRegion } from './schema';

/** One realm as the app will host it. */
export interface ResolvedRealm {
  /** Atlassian's name for the realm. */
  readonly name: RealmName;
  /** The AWS region where the realm's data rests. */
  readonly region: string;
  /** The regional host name that serves this realm. */
  readonly hostname: string;
  /** `https://<hostname>`: what Atlassian calls this realm's base URL. */
  readonly baseUrl: string;
  /** The realm whose stack holds this realm's data (itself unless it shares a stack). */
  readonly stackRealm: RealmName;
}

/** One regional stack and the realms it holds (more than one only where the config shares a stack). */
export interface RealmStackPlan {
  /** The realm that owns the stack; the stack id derives from it. */
  readonly owner: RealmName;
  /** The AWS region of the stack. */
  readonly region: string;
  /** Every realm whose data rests in this stack, owner first. */
  readonly realms: readonly RealmName[];
  /** The stack's two Availability Zones by AZ id, as the owner realm's config names them. */
  readonly availabilityZoneIds?: readonly string[];
}

/** The global edge's settings, defaults filled in. */
export interface ResolvedEdge {
  /** The region of the bucket holding the edge's access logs (default: the Global realm's region). */
  readonly logRegion: string;
}

/** A validated config with every default and derived value filled in. */
export interface ResidencyConfig extends Omit<ConfigInput, 'realms' | '$schema' | 'edge' | 'app'> {
  /** The app's settings; `entry` is an absolute path (the notes example when the config names none). */
  readonly app: ConfigInput['app'] & { readonly entry: string };
  /** The global edge's settings. */
  readonly edge: ResolvedEdge;
  /** Configured realms in catalog order. */
  readonly realms: readonly ResolvedRealm[];
  /** The regional stacks to build, in catalog order of their owners. */
  readonly stacks: readonly RealmStackPlan[];
  /** `https://<domain.name>`: the global base URL, served by the edge. */
  readonly globalBaseUrl: string;
  /** Prefix of every stack name, derived from the app key (`com.example.my-app` -> `MyApp`). */
  readonly stackPrefix: string;
}

/** The config file used when `-c config=<path>` is not given. */
export const DEFAULT_CONFIG_PATH = 'residency.config.json';

/**
 * Reads and validates a config file.
 * @throws ConfigError listing every problem (missing file, not JSON, schema violations).
 */
export function loadConfig(path: string = DEFAULT_CONFIG_PATH): ResidencyConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `an unreadable file (${(e as Error).message})`;
    throw new ConfigError(path, [{ path: '$', found: why, expected: 'a readable residency config JSON file' }]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(path, [{ path: '$', found: `text that is not JSON (${(e as Error).message})`, expected: 'a JSON object' }]);
  }
  return parseConfig(raw, path, dirname(path));
}

/**
 * Validates an already-parsed config object. Paths in it (`app.staticDir`) are resolved
 * against `directory` and must exist; the resolved config holds them as absolute paths.
 * @param source names the config in error messages
 * @param directory the folder relative paths (`app.entry`, `app.staticDir`) start from (loadConfig: the config file's folder)
 * @throws ConfigError listing every problem found
 */
export function parseConfig(raw: unknown, source = 'config', directory = '.'): ResidencyConfig {
  const result = configSchema.safeParse(raw);
  const staticDir = staticDirOf(raw, directory);
  const problems = [...(result.success ? [] : problemsFrom(result.error.issues, raw)), ...staticDir.problems];
  if (problems.length > 0) throw new ConfigError(source, problems);
  return resolve(result.data!, staticDir.path, directory);
}

// Checked on the raw object too, so a missing folder is reported beside the schema's problems.
function staticDirOf(raw: unknown, directory: string): { path?: string; problems: ConfigProblem[] } {
  const given = (raw as { app?: { staticDir?: unknown } } | null)?.app?.staticDir;
  if (typeof given !== 'string' || given === '') return { problems: [] };
  const path = resolvePath(directory, given);
  const problem = (found: string) => ({ problems: [{ path: '$.app.staticDir', found, expected: 'a folder of static assets, relative to the config file' }] });
  try {
    if (!statSync(path).isDirectory()) return problem(`${JSON.stringify(given)}, which is a file (${path})`);
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'which does not exist' : `which cannot be read (${(e as NodeJS.ErrnoException).code})`;
    return problem(`${JSON.stringify(given)}, ${why} (${path})`);
  }
  return { path, problems: [] };
}

function resolve(input: ConfigInput, staticDir: string | undefined, directory: string): ResidencyConfig {
  const { $schema: _ignored, realms: entries, app, ...rest } = input;
  const names = REALM_NAMES.filter((n) => entries[n] !== undefined);
  const realms = names.map((name): ResolvedRealm => {
    const entry = entries[name]!;
    const stackRealm = (entry.shareStackWith as RealmName | undefined) ?? name;
    const region = stackRegion(stackRealm, entries[stackRealm]!);
    const hostname = entry.hostname ?? defaultHostname(name, input.domain.name);
    return { name, region, hostname, baseUrl: `https://${hostname}`, stackRealm };
  });
  const stacks = realms
    .filter((r) => r.stackRealm === r.name)
    .map((owner): RealmStackPlan => ({
      owner: owner.name,
      region: owner.region,
      realms: [owner.name, ...realms.filter((r) => r.stackRealm === owner.name && r.name !== owner.name).map((r) => r.name)],
      ...(entries[owner.name]!.availabilityZoneIds ? { availabilityZoneIds: entries[owner.name]!.availabilityZoneIds } : {}),
    }));
  const edge: ResolvedEdge = { logRegion: input.edge.logRegion ?? realms.find((r) => r.name === 'Global')!.region };
  const entry = input.app.entry === undefined ? DEFAULT_APP_ENTRY : resolvePath(directory, input.app.entry);
  return { ...rest, app: { ...app, entry, ...(staticDir ? { staticDir } : {}) }, edge, realms, stacks, globalBaseUrl: `https://${input.domain.name}`, stackPrefix: stackPrefixOf(input.app.key) };
}

function stackPrefixOf(appKey: string): string {
  const last = appKey.split('.').filter(Boolean).pop() ?? appKey;
  const pascal = last
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
  return /^[A-Za-z]/.test(pascal) ? pascal : `App${pascal}`;
}
