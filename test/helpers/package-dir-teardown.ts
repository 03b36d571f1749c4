import { rmSync } from 'node:fs';
import { PACKAGE_DIR_ENV } from './installed-package';

// Jest's globalTeardown: the installed package is about 300 MB; remove it with the run.
export default function packageDirTeardown(): void {
  const dir = process.env[PACKAGE_DIR_ENV];
  if (dir) rmSync(dir, { recursive: true, force: true });
}
