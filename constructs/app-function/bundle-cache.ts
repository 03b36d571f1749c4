import { type Dirent, copyFileSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { buildSync, formatMessagesSync, type BuildOptions } from 'esbuild';
import { cacheDir, digest } from '../../lib/cache-dir';

/**
 * Names the bundle cache folder, or turns it off: unset, bundles are kept in
 * `node_modules/.cache/cdk-residency/bundles` under the working directory; `off` (or `0`,
 * `false`) bundles every function afresh; any other value is the folder.
 */
export const BUNDLE_CACHE_ENV = 'RESIDENCY_BUNDLE_CACHE';

const ESBUILD_VERSION: string = require('esbuild/package.json').version;

/** The bundle cache folder, or undefined when RESIDENCY_BUNDLE_CACHE turns it off. */
export function bundleCacheDir(): string | undefined {
  return cacheDir(BUNDLE_CACHE_ENV, 'bundles');
}

/** What a stored bundle was made from: the files esbuild read, by path. */
interface Manifest {
  readonly inputs: string[];
}

/**
 * Bundles `entry` with esbuild's `options` into `outfile`, or copies the bundle a
 * previous synth made from the same inputs. A bundle is stored under the entry and options,
 * and under the digest of everything its output depends on ({@link inputsDigest}): the content
 * of every file esbuild bundled, and what decides how imports resolve to those files. A change to
 * any of them makes a new bundle; a stored one is never rewritten, so concurrent synths (test
 * workers, CI jobs) never read half of one. Answers whether the bundle came from the cache.
 *
 * Entries `alongside` (bundled with the same options elsewhere in the app) that the cache does
 * not hold either are bundled in the same esbuild run and stored, so their own calls find them:
 * esbuild reads and parses the modules they share (the AWS SDK) once, and each output is the
 * same bytes as a run of its entry alone.
 */
export function bundleCached(entry: string, options: BuildOptions, outfile: string, alongside: readonly string[] = []): 'cached' | 'built' {
  const dir = bundleCacheDir();
  // esbuild names inputs relative to its working directory: stated, so they resolve against it.
  const cwd = process.cwd();
  const build = () => buildSync({ ...options, entryPoints: [entry], outfile, metafile: true, logLevel: 'info', absWorkingDir: cwd });
  if (!dir) {
    build();
    return 'built';
  }
  const home = homeOf(dir, entry, options);
  const current = storedBundle(home);
  if (current && copied(current, outfile)) {
    touch(dirname(current)); // used now: the last to be pruned
    return 'cached';
  }
  const others = [...new Set(alongside.map((e) => resolve(e)))].filter((e) => e !== resolve(entry) && !storedBundle(homeOf(dir, e, options)));
  if (others.length > 0 && builtTogether(dir, [entry, ...others], options, outfile, cwd)) return 'built';
  const result = build();
  // `<define:...>`-style virtual inputs have no file (then nothing is stored).
  const inputs = Object.keys(result.metafile!.inputs).map((p) => resolve(cwd, p));
  const made = inputsDigest(inputs);
  if (made) store(home, made, outfile, { inputs });
  return 'built';
}

function homeOf(dir: string, entry: string, options: BuildOptions): string {
  return join(dir, digest(ESBUILD_VERSION, JSON.stringify(options), resolve(entry)));
}

// The path of the bundle stored for the current inputs, or undefined (none stored, or the inputs changed).
function storedBundle(home: string): string | undefined {
  const stored = readManifest(join(home, 'manifest.json'));
  const current = stored && inputsDigest(stored.inputs);
  return current ? join(home, current, 'index.js') : undefined;
}

/**
 * `entries` bundled in one esbuild run, each stored under the inputs it reaches through the
 * metafile's imports (what a run of that entry alone reads), the first copied to `outfile`.
 * Its warnings are printed (not the size of each output, which a run of one entry prints).
 * False when the run fails (then each entry is bundled alone, and reports its own errors).
 */
function builtTogether(dir: string, entries: string[], options: BuildOptions, outfile: string, cwd: string): boolean {
  const outdir = `${dir}.together.${process.pid}.${Math.random().toString(36).slice(2)}`;
  try {
    let result;
    try {
      result = buildSync({ ...options, entryPoints: entries.map((e, i) => ({ in: e, out: `${i}/index` })), outdir, metafile: true, logLevel: 'silent', absWorkingDir: cwd });
    } catch {
      return false;
    }
    if (result.warnings.length > 0) process.stderr.write(formatMessagesSync(result.warnings, { kind: 'warning', color: false }).join(''));
    const { inputs, outputs } = result.metafile;
    entries.forEach((entry, i) => {
      // The entry as esbuild named it (its real path, relative to `cwd`), from the output it made.
      const start = outputs[relative(cwd, join(outdir, String(i), 'index.js'))]?.entryPoint;
      const reached = new Set<string>();
      const pending = start === undefined ? [] : [start];
      for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
        if (reached.has(file) || !inputs[file]) continue;
        reached.add(file);
        for (const imported of inputs[file]!.imports) if (!imported.external) pending.push(imported.path);
      }
      // Not stored when its inputs cannot be told: its own call bundles it.
      if (start === undefined || !reached.has(start)) return;
      const files = [...reached].map((p) => resolve(cwd, p));
      const made = inputsDigest(files);
      if (made) store(homeOf(dir, entry, options), made, join(outdir, String(i), 'index.js'), { inputs: files });
    });
    mkdirSync(dirname(outfile), { recursive: true });
    copyFileSync(join(outdir, '0', 'index.js'), outfile);
    return true;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

// The stored bundle copied to `outfile`; false when it is not there (never stored, or pruned meanwhile).
function copied(stored: string, outfile: string): boolean {
  try {
    mkdirSync(dirname(outfile), { recursive: true });
    copyFileSync(stored, outfile);
    return true;
  } catch {
    return false;
  }
}

function touch(folder: string): void {
  try {
    const now = new Date();
    utimesSync(folder, now, now);
  } catch {
    // Pruned meanwhile by another synth: it was copied already.
  }
}

function readManifest(file: string): Manifest | undefined {
  try {
    const m = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    return Array.isArray(m.inputs) && m.inputs.every((p) => typeof p === 'string') ? m : undefined;
  } catch {
    return undefined;
  }
}

function store(home: string, key: string, outfile: string, manifest: Manifest): void {
  const temp = `${home}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  try {
    mkdirSync(temp, { recursive: true });
    copyFileSync(outfile, join(temp, 'index.js'));
    writeFileSync(join(temp, 'manifest.json'), JSON.stringify(manifest));
    mkdirSync(join(home, key), { recursive: true });
    // The bundle first (a new name, renamed whole), then the manifest that points at it.
    try {
      renameSync(join(temp, 'index.js'), join(home, key, 'index.js'));
    } catch {
      // Another synth stored the same bundle first: theirs is the same bytes.
    }
    renameSync(join(temp, 'manifest.json'), join(home, 'manifest.json'));
    prune(home, key);
  } catch {
    // A read-only or full disk costs the next synth the bundling again, nothing else.
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

// Bundles of one entry kept at once: the newest, so switching back and forth between a few
// versions (branches, an undone change) stays fast, while the folder does not grow without end.
const KEPT_PER_ENTRY = 4;

function prune(home: string, newest: string): void {
  const others = readdirSync(home, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== newest)
    .map((e) => ({ name: e.name, at: statSync(join(home, e.name)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  for (const old of others.slice(KEPT_PER_ENTRY - 1)) rmSync(join(home, old.name), { recursive: true, force: true });
}

/**
 * The digest of what a bundle of `inputs` depends on, or undefined when that cannot be told
 * (an input is gone, or a tsconfig extends a package we do not follow). Beside each input's
 * content, it covers how esbuild resolves imports to them. For every folder holding an input,
 * and each folder above it: the names of its files (a new `foo.ts` beside `foo.js` or `foo/`
 * takes the import of `./foo`; a new folder never takes one from a file), whether it has a
 * `node_modules`, and its `package.json`, `tsconfig.json` and `jsconfig.json` (exports, main,
 * browser, paths), with the tsconfigs they extend; and for each of those `node_modules`, the
 * packages in it and in its `@scope` folders (a nearer copy of a package shadows a farther one).
 */
function inputsDigest(inputs: readonly string[]): string | undefined {
  const parts: string[] = [];
  const folders = new Set<string>();
  for (const input of [...inputs].sort()) {
    const bytes = readOrUndefined(input);
    if (bytes === undefined) return undefined;
    parts.push(input, digest(bytes));
    for (let d = dirname(input); !folders.has(d); d = dirname(d)) {
      folders.add(d);
      if (dirname(d) === d) break;
    }
  }
  for (const folder of [...folders].sort()) {
    const entries = listing(folder);
    const files = entries.filter((e) => !e.isDirectory()).map((e) => e.name);
    parts.push(folder, files.join('/'));
    for (const config of ['package.json', 'tsconfig.json', 'jsconfig.json'].filter((c) => files.includes(c))) {
      const configDigest = config === 'package.json' ? digest(readOrUndefined(join(folder, config)) ?? '') : tsconfigDigest(join(folder, config), 0);
      if (configDigest === undefined) return undefined;
      parts.push(config, configDigest);
    }
    if (entries.some((e) => e.name === 'node_modules')) {
      const modules = join(folder, 'node_modules');
      const packages = listing(modules).map((e) => e.name).filter((n) => !n.startsWith('.'));
      parts.push('node_modules', packages.join('/'));
      for (const scope of packages.filter((p) => p.startsWith('@'))) parts.push(scope, listing(join(modules, scope)).map((e) => e.name).join('/'));
    }
  }
  return digest(ESBUILD_VERSION, ...parts);
}

// A tsconfig's content and that of the files it extends, or undefined for an `extends` naming a package.
function tsconfigDigest(file: string, depth: number): string | undefined {
  const text = readOrUndefined(file)?.toString('utf8') ?? '';
  const parents: string[] = [];
  for (const parent of extendsOf(text)) {
    if (!parent.startsWith('.') || depth > 8) return undefined;
    const extended = tsconfigDigest(resolve(dirname(file), parent.endsWith('.json') ? parent : `${parent}.json`), depth + 1);
    if (extended === undefined) return undefined;
    parents.push(extended);
  }
  return digest(text, ...parents);
}

function extendsOf(text: string): string[] {
  // tsconfig files allow comments and trailing commas; `extends` is a string or a list of them.
  const match = /"extends"\s*:\s*(\[[^\]]*\]|"[^"]*")/.exec(text);
  if (!match) return [];
  return [...match[1]!.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
}

function listing(folder: string): Dirent[] {
  try {
    return readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return [];
  }
}

function readOrUndefined(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}
