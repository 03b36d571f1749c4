import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** The repository root, and its node_modules. */
export const ROOT = join(__dirname, '..', '..');
export const NODE_MODULES = join(ROOT, 'node_modules');

/** Set by test/helpers/package-dir.ts (Jest's globalSetup): one pack and install per Jest run. */
export const PACKAGE_DIR_ENV = 'CDK_RESIDENCY_PACKAGE_DIR';

/** Runs a command to its end: its exit status and everything it printed. */
export function run(cmd: string, args: string[], cwd: string): { status: number | null; out: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 300_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** The package installed from its tarball, as `npm install cdk-residency` gives it to a user. */
export interface InstalledPackage {
  /** The folder the tarball was installed into (its node_modules, package.json and package-lock.json). */
  readonly root: string;
  /** Every path in the tarball, relative to the package root (`dist/lib/index.js`, ...). */
  readonly files: readonly string[];
  /** Seconds the clean copy, `npm pack` and `npm install` took. */
  readonly seconds: number;
}

// Tools the consumer apps in the tests use themselves (type-checking, minting Connect tokens):
// a user's app brings its own, so they are linked from this repository, not installed from the tarball.
const CONSUMER_TOOLS = ['@types/node', 'atlassian-jwt'];

/**
 * Packs the repository as `npm pack` does in a clean clone, and installs that tarball into a fresh
 * folder. The clone is a copy of exactly `git ls-files` (so no untracked `dist/` can leak in), with
 * this repository's node_modules linked for the build that `prepack` runs. Within one Jest run every
 * caller shares one pack and install: the first builds it under a lock, the others wait for it.
 */
export async function installedPackage(): Promise<InstalledPackage> {
  const shared = process.env[PACKAGE_DIR_ENV];
  const dir = shared ?? mkdtempSync(join(tmpdir(), 'cdk-residency-package-'));
  mkdirSync(dir, { recursive: true });
  const resultFile = join(dir, 'result.json');
  let builder = false;
  try {
    mkdirSync(join(dir, 'lock')); // atomic: exactly one caller builds
    builder = true;
  } catch {
    // Another test file is building it; wait below.
  }
  if (builder) {
    let result: { ok: true; pkg: InstalledPackage } | { ok: false; error: string };
    try {
      result = { ok: true, pkg: packAndInstall(dir) };
    } catch (e) {
      result = { ok: false, error: (e as Error).message };
    }
    writeFileSync(`${resultFile}.tmp`, JSON.stringify(result));
    renameSync(`${resultFile}.tmp`, resultFile); // atomic: a waiter never reads half a file
  }
  for (const deadline = Date.now() + 600_000; !existsSync(resultFile); ) {
    if (Date.now() > deadline) throw new Error(`no package in ${dir} after 10 minutes`);
    await sleep(250);
  }
  const result = JSON.parse(readFileSync(resultFile, 'utf8')) as { ok: true; pkg: InstalledPackage } | { ok: false; error: string };
  if (!result.ok) throw new Error(result.error);
  return result.pkg;
}

function packAndInstall(dir: string): InstalledPackage {
  const started = Date.now();
  const step = (what: string, r: { status: number | null; out: string }) => {
    if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}):\n${r.out}`);
    return r.out;
  };

  const clone = join(dir, 'clone');
  const listed = spawnSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const file of listed.stdout.split('\0').filter((f) => f && existsSync(join(ROOT, f)))) {
    mkdirSync(dirname(join(clone, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(clone, file));
  }
  symlinkSync(NODE_MODULES, join(clone, 'node_modules'));

  // npm pack runs prepack (the build) here: the clone has no dist/ of its own.
  const pack = spawnSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: clone, encoding: 'utf8', timeout: 300_000 });
  if (pack.status !== 0) throw new Error(`npm pack in the clean clone failed (exit ${pack.status}):\n${pack.stdout}${pack.stderr}`);
  const report = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  const tarball = join(dir, report[0]!.filename);

  const root = join(dir, 'consumer');
  mkdirSync(root);
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  step('npm install of the tarball', run('npm', ['install', tarball, '--no-audit', '--no-fund', '--prefer-offline'], root));
  for (const tool of CONSUMER_TOOLS) {
    mkdirSync(dirname(join(root, 'node_modules', tool)), { recursive: true });
    symlinkSync(join(NODE_MODULES, tool), join(root, 'node_modules', tool));
  }
  return { root, files: report[0]!.files.map((f) => f.path), seconds: (Date.now() - started) / 1000 };
}

/** A fresh folder for one test file's consumer app, inside the installed package's project. */
export function consumerDir(pkg: InstalledPackage, name: string): string {
  const dir = join(pkg.root, name);
  mkdirSync(dir);
  return dir;
}
