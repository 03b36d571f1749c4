/**
 * Size of each Lambda bundle, built with esbuild and exactly the options the CDK functions
 * use (ESBUILD_OPTIONS: minified, AWS SDK v3 external, no source map), against the 150 KB
 * target. Prints a markdown table; exits 1 when a bundle is over. Usage: npm run bench:bundle
 */
import { build } from 'esbuild';
import { ESBUILD_OPTIONS } from '../constructs/app-function';
import { DEFAULT_HANDLERS, SecureApiHandlers } from '../constructs/secure-api';

const TARGET_KB = 150;
const NAMES: Record<keyof SecureApiHandlers, string> = {
  app: 'app',
  connectAuthorizer: 'connect-authorizer',
  installAuthorizer: 'install-authorizer',
};

async function bundleBytes(entry: string): Promise<number> {
  const out = await build({ ...ESBUILD_OPTIONS, external: [...ESBUILD_OPTIONS.external], entryPoints: [entry], write: false, logLevel: 'silent' });
  return out.outputFiles.reduce((n, f) => n + f.contents.byteLength, 0);
}

async function main(): Promise<void> {
  console.log(`Lambda bundle sizes (esbuild, ${ESBUILD_OPTIONS.target}, minified, ${ESBUILD_OPTIONS.external.join(', ')} external); node ${process.version}\n`);
  console.log(`| function | size | target | within |`);
  console.log(`|---|---:|---:|:---:|`);
  let over = 0;
  for (const key of Object.keys(NAMES) as (keyof SecureApiHandlers)[]) {
    const kb = (await bundleBytes(DEFAULT_HANDLERS[key])) / 1024;
    if (kb > TARGET_KB) over++;
    console.log(`| ${NAMES[key]} | ${kb.toFixed(1)} KB | ${TARGET_KB} KB | ${kb <= TARGET_KB ? 'yes' : 'NO'} |`);
  }
  if (over > 0) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
