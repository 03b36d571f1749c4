import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation } from 'aws-cdk-lib';
import { cacheDir, digest } from '../cache-dir';

/**
 * Names the validation cache folder, or turns the cache off: unset, the cache is
 * `node_modules/.cache/cdk-residency/validation` under the working directory (where build tools
 * keep theirs); `off` (or `0`, `false`) validates everything afresh; any other value is the folder.
 */
export const VALIDATION_CACHE_ENV = 'RESIDENCY_VALIDATION_CACHE';

/** The validation cache folder, or undefined when RESIDENCY_VALIDATION_CACHE turns the cache off. */
export function validationCacheDir(): string | undefined {
  return cacheDir(VALIDATION_CACHE_ENV, 'validation');
}

/** A stored result, or `compute()`'s, stored under `kind`/`key` (nothing stored when the cache is off). */
export function cached<T>(kind: string, key: string, compute: () => T): T {
  const dir = validationCacheDir();
  if (!dir) return compute();
  const file = join(dir, kind.replace(/[^A-Za-z0-9.-]/g, '_'), `${key}.json`);
  const stored = readStored<T>(file);
  if (stored !== undefined) return stored;
  const value = compute();
  try {
    mkdirSync(dirname(file), { recursive: true });
    // Written whole, then renamed: a reader (another synth, another test worker) never sees half a file.
    const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    writeFileSync(temp, JSON.stringify({ value }));
    renameSync(temp, file);
    prune(dirname(file));
  } catch {
    // A read-only or full disk costs the next synth the work again, nothing else.
  }
  return value;
}

/** A stored value (its file touched: used now), or undefined when not stored or unreadable. */
function readStored<T>(file: string): T | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')).value as T;
    const now = new Date();
    utimesSync(file, now, now);
    return value;
  } catch {
    return undefined;
  }
}

/**
 * Entries one kind of check keeps: past this many, the ones used longest ago are deleted down to
 * four fifths of it, so a long dev loop does not fill the disk (an entry is a few kB).
 */
export const CACHE_ENTRIES_PER_KIND = 2000;

// The entries of each folder as this process last listed them, plus those it stored since: a
// folder is listed again only once that count reaches the limit, not at every entry stored.
const entries = new Map<string, number>();

function prune(folder: string): void {
  const known = entries.get(folder);
  if (known !== undefined && known < CACHE_ENTRIES_PER_KIND) {
    entries.set(folder, known + 1);
    return;
  }
  const names = readdirSync(folder).filter((n) => n.endsWith('.json'));
  entries.set(folder, names.length);
  if (names.length <= CACHE_ENTRIES_PER_KIND) return;
  const byUse = names.map((n) => ({ n, at: mtimeOrZero(join(folder, n)) })).sort((a, b) => a.at - b.at);
  const gone = byUse.slice(0, names.length - Math.floor(CACHE_ENTRIES_PER_KIND * 0.8));
  for (const { n } of gone) rmSync(join(folder, n), { force: true });
  entries.set(folder, names.length - gone.length);
}

function mtimeOrZero(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

const versions = ['aws-cdk-lib', 'cdk-nag', '@cdklabs/cdk-validator-cfnguard'].map((p) => `${p}@${require(`${p}/package.json`).version}`).join(' ');

let sources: string | undefined;
/**
 * The packages the checks come from, and the content of our sources: the packs, and what they
 * import (the realm catalog, acknowledgement ids, security headers), wherever that lives in
 * lib/, constructs/ or runtime/ (their .ts in the repo, their .js in the package's dist/).
 */
export function checksDigest(): string {
  const root = join(__dirname, '..', '..');
  sources ??= digest(versions, ...['lib', 'constructs', 'runtime'].flatMap((d) => filesDigests(root, d)));
  return sources;
}

function filesDigests(root: string, dir: string): string[] {
  let files: string[];
  try {
    files = readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' });
  } catch {
    return [];
  }
  return files
    .filter((f) => /\.(ts|js|json)$/.test(f) && !f.endsWith('.d.ts') && !f.includes('node_modules'))
    .sort()
    .map((f) => `${dir}/${f} ${digest(readFileSync(join(root, dir, f)))}`);
}

// What synthesis wrote before the plugins run, everything a check of the construct tree reads:
// the templates, the manifest and stack metadata (environments, tags, logical ids, acknowledgements)
// and the tree (every construct's path) when the app writes one. Not the reports of an earlier synth left in the folder.
const ASSEMBLY_INPUT = /^(manifest\.json|tree\.json|.*\.(template|metadata|assets)\.json)$/;

/**
 * `plugin`, its reports cached by the assembly they were made from: a plugin that reads the
 * construct tree (the cdk-nag packs, ours) reports the same on an unchanged assembly, given the
 * same checks ({@link checksDigest}). Acknowledgements above the stacks (on the App or a Stage)
 * are not in the assembly, so they are part of the key too.
 */
export function cachedByAssembly<P extends IPolicyValidationPlugin>(plugin: P): P {
  const validate = plugin.validate.bind(plugin);
  plugin.validate = (context: IPolicyValidationContext): PolicyValidationPluginReport => {
    if (!validationCacheDir()) return validate(context);
    const dirs = [...new Set(context.templatePaths.map((p) => dirname(p)))].sort();
    const files = dirs.flatMap((d) =>
      readdirSync(d)
        .filter((f) => ASSEMBLY_INPUT.test(f))
        .sort()
        .map((f) => join(d, f)),
    );
    const key = digest(plugin.name, plugin.version ?? '', checksDigest(), aboveStacks(context.appConstruct), ...files.flatMap((f) => [relative(dirs[0]!, f), readFileSync(f)]));
    return cached(`tree-${plugin.name}`, key, () => validate(context));
  };
  return plugin;
}

// The metadata of the constructs above the stacks (the App, Stages), which no stack records.
function aboveStacks(root: IPolicyValidationContext['appConstruct']): string {
  if (!root) return '';
  const out: unknown[] = [];
  const visit = (c: typeof root): void => {
    if ((c as { templateFile?: unknown }).templateFile !== undefined) return; // a Stack: its metadata is in the assembly
    out.push([c.node.path, c.node.metadata.map((m) => [m.type, m.data])]);
    for (const child of c.node.children) visit(child);
  };
  visit(root);
  return JSON.stringify(out);
}

/** One template's share of a report: its violations with its path left out, and its success. */
export interface TemplateResult {
  readonly success: boolean;
  readonly violations: PolicyViolation[];
}

/**
 * Starts a report over `templatePaths` and answers a function that finishes it (blocking until
 * the work started is done). Each template's part is read from the cache under `kind` and the
 * key `keyOf(path, bytes)` when stored; the others are validated together by one `start`
 * (which may start work in worker threads and answers a function waiting for its report) and
 * split by template for the cache, each part's success by `successOf`. When none was stored,
 * that report is returned as validated, so a cold synth reports what an uncached one does. A
 * report that does not split (a resource naming no template, parts whose successes do not add
 * up to the report's) is returned as validated over every template, and not cached. `merge`
 * joins the parts in `templatePaths` order, as the plugin joins its templates' findings.
 */
export function startCachedByTemplate(
  kind: string,
  templatePaths: readonly string[],
  keyOf: (path: string, bytes: Buffer) => string,
  start: (paths: string[]) => () => PolicyValidationPluginReport,
  successOf: (violations: PolicyViolation[]) => boolean,
  merge: (parts: TemplateResult[]) => PolicyValidationPluginReport,
): () => PolicyValidationPluginReport {
  const dir = validationCacheDir();
  if (!dir) return start([...templatePaths]);
  const keys = new Map(templatePaths.map((p) => [p, keyOf(p, readFileSync(p))]));
  const stored = new Map<string, TemplateResult>();
  for (const p of templatePaths) {
    const part = readStored<TemplateResult>(join(dir, kind, `${keys.get(p)}.json`));
    if (part !== undefined) stored.set(p, part); // else validated below
  }
  const fresh = templatePaths.filter((p) => !stored.has(p));
  const started = fresh.length > 0 ? start(fresh) : undefined;
  return () => {
    if (started) {
      const report = started();
      const parts = splitByTemplate(report, fresh, successOf);
      if (!parts) return templatePaths.length === fresh.length ? report : start([...templatePaths])();
      for (const [p, part] of parts) stored.set(p, cached(kind, keys.get(p)!, () => part));
      // Nothing was stored: the report is the uncached one, as validated (its parts stored for the next synth).
      if (fresh.length === templatePaths.length) return report;
    }
    return merge(templatePaths.map((p) => withPath(stored.get(p)!, p)));
  };
}

function splitByTemplate(report: PolicyValidationPluginReport, paths: readonly string[], successOf: (violations: PolicyViolation[]) => boolean): Map<string, TemplateResult> | undefined {
  const parts = new Map(paths.map((p) => [p, [] as PolicyViolation[]]));
  for (const v of report.violations) {
    const byTemplate = new Map<string, PolicyViolation['violatingResources'][number][]>();
    for (const r of v.violatingResources) {
      if (!r.templatePath || !parts.has(r.templatePath)) return undefined;
      byTemplate.set(r.templatePath, [...(byTemplate.get(r.templatePath) ?? []), { ...r, templatePath: '' }]);
    }
    for (const [p, resources] of byTemplate) parts.get(p)!.push({ ...v, violatingResources: resources });
  }
  const split = new Map([...parts].map(([p, violations]) => [p, { success: successOf(violations), violations }]));
  // Split only where the parts say what the whole said.
  return [...split.values()].every((part) => part.success) === report.success ? split : undefined;
}

function withPath(part: TemplateResult, path: string): TemplateResult {
  return { success: part.success, violations: part.violations.map((v) => ({ ...v, violatingResources: v.violatingResources.map((r) => ({ ...r, templatePath: path })) })) };
}

/** An error-level finding, one that fails the plugin's report. */
export function isFailure(v: PolicyViolation): boolean {
  return v.severity === 'error' || v.severity === 'fatal';
}
