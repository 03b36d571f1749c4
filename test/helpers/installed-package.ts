import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The repository root, and its node_modules. */
export const ROOT = join(__dirname, '..', '..');
export const NODE_MODULES = join(ROOT, 'node_modules');

/** Runs a command to its end: its exit status and everything it printed. */
export function run(cmd: string, args: string[], cwd: string): { status: number | null; out: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 300_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** A fresh consumer directory, and where the package goes in its node_modules. */
export function consumerDir(prefix: string): { consumer: string; pkg: string } {
  const consumer = mkdtempSync(join(tmpdir(), prefix));
  return { consumer, pkg: join(consumer, 'node_modules', 'cdk-residency') };
}

/**
 * Builds the package as `npm run build` does into `pkg`, copies every other file `npm pack`
 * would publish (the handler and runtime sources the functions are bundled from), and links
 * the consumer's `deps` from this repository's node_modules. Returns the build's result.
 */
export function installPackage({ consumer, pkg }: { consumer: string; pkg: string }, deps: readonly string[]): { status: number | null; out: string } {
  const build = run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', join(pkg, 'dist')], ROOT);
  const pack = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
  const files = (JSON.parse(pack.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
  for (const file of files.filter((f) => !f.startsWith('dist/'))) {
    mkdirSync(dirname(join(pkg, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(pkg, file));
  }
  symlinkSync(NODE_MODULES, join(pkg, 'node_modules'));
  for (const dep of deps) symlinkSync(join(NODE_MODULES, dep), join(consumer, 'node_modules', dep));
  return build;
}
