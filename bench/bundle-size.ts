/**
 * Size of each Lambda bundle, built with esbuild and exactly the options the CDK functions
 * use (ESBUILD_OPTIONS: minified, AWS SDK v3 external, no source map), against the 150 KB
 * target. Prints a markdown table; exits 1 when a bundle is over. Usage: npm run bench:bundle
 */
import { build } from 'esbuild';
import { ESBUILD_OPTIONS } from '../constructs/app-function';
import { MIGRATION_HANDLER } from '../constructs/realm-migration';
import { DEFAULT_HANDLERS } from '../constructs/secure-api';
import { DIRECTORY_HANDLERS } from '../constructs/tenant-directory';

const TARGET_KB = 150;
// Every function the stacks deploy, by its entry file.
const ENTRIES: Record<string, string> = {
  app: DEFAULT_HANDLERS.app,
  'connect-authorizer': DEFAULT_HANDLERS.connectAuthorizer,
  'install-authorizer': DEFAULT_HANDLERS.installAuthorizer,
  'forge-authorizer': DEFAULT_HANDLERS.forgeAuthorizer,
  'directory-relay': DIRECTORY_HANDLERS.relay,
  'directory-writer': DIRECTORY_HANDLERS.writer,
  migration: MIGRATION_HANDLER,
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
  for (const [name, entry] of Object.entries(ENTRIES)) {
    const kb = (await bundleBytes(entry)) / 1024;
    if (kb > TARGET_KB) over++;
    console.log(`| ${name} | ${kb.toFixed(1)} KB | ${TARGET_KB} KB | ${kb <= TARGET_KB ? 'yes' : 'NO'} |`);
  }
  // The directory writer is deployed with the SDK bundled (its SigV4A signer must share the bundle's SDK).
  const writer = await build({ ...ESBUILD_OPTIONS, external: [], entryPoints: [DIRECTORY_HANDLERS.writer], write: false, logLevel: 'silent' });
  console.log(`\ndirectory-writer as deployed, AWS SDK bundled: ${(writer.outputFiles.reduce((n, f) => n + f.contents.byteLength, 0) / 1024).toFixed(1)} KB`);
  if (over > 0) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
