import { BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';
import { LAMBDA_RUNTIME } from './runtime';

/** The esbuild target of {@link LAMBDA_RUNTIME} (`nodejs24.x` -> `node24`). */
export const BUNDLE_TARGET = LAMBDA_RUNTIME.name.replace(/^nodejs(\d+)\.x$/, 'node$1');

/**
 * How every function is bundled, as esbuild options: the one source for the CDK functions
 * ({@link BUNDLING}), the bundle bench and the bundle tests. Nothing is external: each bundle
 * carries the AWS SDK it was tested with and needs only Node built-ins at runtime (the SDK the
 * runtime ships is not pinned, and lacks opt-in packages such as `@aws-sdk/signature-v4a`).
 * ES modules first, so esbuild drops the SDK code a function never calls (`npm run bench:bundle`).
 * No source map, so no source text ships with the code.
 */
export const ESBUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: BUNDLE_TARGET,
  mainFields: ['module', 'main'],
  minify: true,
  sourcemap: false,
  sourcesContent: false,
  external: [] as string[],
} satisfies BuildOptions;

/** {@link ESBUILD_OPTIONS} as `NodejsFunction` bundling options. */
export const BUNDLING: BundlingOptions = {
  format: OutputFormat.CJS,
  target: ESBUILD_OPTIONS.target,
  mainFields: [...ESBUILD_OPTIONS.mainFields],
  minify: ESBUILD_OPTIONS.minify,
  sourceMap: ESBUILD_OPTIONS.sourcemap,
  sourcesContent: ESBUILD_OPTIONS.sourcesContent,
  // Stated, because NodejsFunction leaves `@aws-sdk/*` out when this is absent.
  externalModules: [...ESBUILD_OPTIONS.external],
};
