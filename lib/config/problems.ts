import type { z } from 'zod';

/** One thing wrong with a config: where, what was there, and what belongs there. */
export interface ConfigProblem {
  /** JSON path into the file, e.g. `$.realms.EU.region`. */
  readonly path: string;
  /** What the file has at that path. */
  readonly found: string;
  /** What the path should hold. */
  readonly expected: string;
}

/** Thrown when a config cannot be used; carries every problem found, not just the first. */
export class ConfigError extends Error {
  constructor(
    /** The file the config came from (or a label for an in-memory config). */
    public readonly source: string,
    /** Every problem, in the order they were found. */
    public readonly problems: readonly ConfigProblem[],
  ) {
    super(
      `${source}: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the residency config\n` +
        problems.map((p) => `  ${p.path}: found ${p.found}; expected ${p.expected}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** `$.a.b[2]["odd key"]` for a path of keys and indices. */
export function jsonPath(path: readonly PropertyKey[]): string {
  return (
    '$' +
    path
      .map((k) =>
        typeof k === 'number' ? `[${k}]` : /^[A-Za-z_$][\w$]*$/.test(String(k)) ? `.${String(k)}` : `[${JSON.stringify(String(k))}]`,
      )
      .join('')
  );
}

/** A short, safe description of a value for an error line. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return String(value);
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/** Turns zod issues into problems that name the path, the value found and what was expected. */
export function problemsFrom(issues: readonly z.core.$ZodIssue[], raw: unknown): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const here = valueAt(raw, issue.path);
      const known = 'an object with only its documented keys';
      for (const key of issue.keys) out.push({ path: jsonPath([...issue.path, key]), found: `an unknown key (${describe((here as Record<string, unknown>)[key])})`, expected: known });
      continue;
    }
    const found = issue.code === 'custom' && typeof issue.params?.found === 'string' ? issue.params.found : describe(valueAt(raw, issue.path));
    out.push({ path: jsonPath(issue.path), found, expected: expectedOf(issue) });
  }
  return out;
}

function expectedOf(issue: z.core.$ZodIssue): string {
  // Messages written in the schema are already phrased as what is expected.
  if (issue.code === 'invalid_type' && issue.message.startsWith('Invalid input')) return `a value of type ${issue.expected}`;
  if (issue.code === 'invalid_value' && issue.message.startsWith('Invalid')) return `one of ${issue.values.map(String).join(', ')}`;
  return issue.message;
}
