import { BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LAMBDA_RUNTIME } from './runtime';

/** The esbuild target of {@link LAMBDA_RUNTIME} (`nodejs24.x` -> `node24`). */
export const BUNDLE_TARGET = LAMBDA_RUNTIME.name.replace(/^nodejs(\d+)\.x$/, 'node$1');

/**
 * How every function is bundled, as esbuild options: the one source for the CDK
 * functions ({@link BUNDLING}) and the bundle-size bench. The AWS SDK v3 is left out
 * (the runtime ships it); no source map, so no source text ships with the code.
 */
export const ESBUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: BUNDLE_TARGET,
  minify: true,
  sourcemap: false,
  sourcesContent: false,
  external: ['@aws-sdk/*'],
} as const;

/** {@link ESBUILD_OPTIONS} as `NodejsFunction` bundling options. */
export const BUNDLING: BundlingOptions = {
  format: OutputFormat.CJS,
  target: ESBUILD_OPTIONS.target,
  minify: ESBUILD_OPTIONS.minify,
  sourceMap: ESBUILD_OPTIONS.sourcemap,
  sourcesContent: ESBUILD_OPTIONS.sourcesContent,
  externalModules: [...ESBUILD_OPTIONS.external],
};
