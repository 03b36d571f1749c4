import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_DIR_ENV } from './installed-package';

// Jest's globalSetup: names (but does not create) the folder that every package test in this run
// shares, so the tarball is packed and installed once; only a package test pays for it.
export default function packageDirSetup(): void {
  process.env[PACKAGE_DIR_ENV] = join(tmpdir(), `cdk-residency-package-${process.pid}-${Date.now()}`);
}
