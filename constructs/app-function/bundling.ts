import * as path from 'node:path';
import { AssetHashType, DockerImage, ILocalBundling } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';
import { timePhase } from '../../lib/synth-timings';
import { bundleCached } from './bundle-cache';
import { toolkitHandlerEntries } from './handler-entry';
import { LAMBDA_RUNTIME } from './runtime';

/** The esbuild target of {@link LAMBDA_RUNTIME} (`nodejs24.x` -> `node24`). */
export const BUNDLE_TARGET = LAMBDA_RUNTIME.name.replace(/^nodejs(\d+)\.x$/, 'node$1');

/**
 * How every function is bundled, as esbuild options: the one source for the CDK functions
 * ({@link bundledCode}, {@link BUNDLING}), the bundle bench and the bundle tests. Nothing is external: each bundle
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

/** {@link ESBUILD_OPTIONS} as `NodejsFunction` bundling options, for a vendor's own functions. */
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

/**
 * `entry` bundled with {@link ESBUILD_OPTIONS} (and `esbuildArgs`, `--alias:<specifier>` only) as
 * Lambda code. esbuild runs in this process, through its API, not as one `npx esbuild` process
 * per function; aws-cdk-lib's asset staging runs it once per entry and options in an App (the
 * bundling options are the staging cache key), so the functions of every realm share one
 * bundle and one asset, whose hash is that of the bundle's content. Across synths, a bundle
 * made from unchanged inputs is copied from the bundle cache ({@link bundleCached},
 * `RESIDENCY_BUNDLE_CACHE`) instead of being made again; on a miss, the toolkit's own handlers
 * the cache lacks too are made in the same esbuild run (about a third of the time of one run each).
 */
export function bundledCode(entry: string, esbuildArgs: Record<string, string | boolean> = {}): lambda.Code {
  const alias: Record<string, string> = {};
  for (const [arg, value] of Object.entries(esbuildArgs)) {
    const specifier = /^--alias:(.+)$/.exec(arg)?.[1];
    if (!specifier || typeof value !== 'string') throw new Error(`AppFunction ${entry}: found esbuild argument ${arg}; expected --alias:<specifier> with a path`);
    alias[specifier] = value;
  }
  const local = new InProcessEsbuild(path.resolve(entry), { ...ESBUILD_OPTIONS, ...(Object.keys(alias).length > 0 ? { alias } : {}) });
  return lambda.Code.fromAsset(path.dirname(local.entry), {
    assetHashType: AssetHashType.OUTPUT,
    // Used only where local bundling cannot run, which esbuild's API always can.
    bundling: { image: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs22.x'), local },
  });
}

// Plain fields only: they are what aws-cdk-lib's staging cache keys the bundle on.
class InProcessEsbuild implements ILocalBundling {
  constructor(
    public readonly entry: string,
    public readonly options: BuildOptions,
  ) {}

  public tryBundle(outputDir: string): boolean {
    // The toolkit's own handlers share these options (the app's adds an alias): one esbuild run makes them all.
    const alongside = this.options.alias ? [] : toolkitHandlerEntries();
    timePhase('bundle', () => bundleCached(this.entry, this.options, path.join(outputDir, 'index.js'), alongside));
    return true;
  }
}
