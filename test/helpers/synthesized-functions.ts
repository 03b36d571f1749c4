import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { loadConfig } from '../../lib/config';
import { addResidencyStacks } from '../../lib/stacks/residency-app';
import { EXAMPLE_CONFIG_PATH } from './example-config';

/** A Lambda function of the synthesized example app, as its template deploys it. */
export interface SynthesizedFunction {
  /** `<stack>/<logical id>`. */
  readonly name: string;
  readonly description: string;
  /** The asset directory Lambda would unpack. */
  readonly assetDir: string;
  /** The handler file inside `assetDir` and its exported handler, from the template's `Handler`. */
  readonly file: string;
  readonly exportName: string;
  /** The template's environment, each CloudFormation reference replaced by a placeholder of its resource. */
  readonly environment: Record<string, string>;
}

/** Synthesizes the example app (no compliance packs, bundling on) into `outdir` and lists its functions. */
export function synthesizedFunctions(outdir: string): SynthesizedFunction[] {
  const app = new App({ outdir });
  addResidencyStacks(app, loadConfig(EXAMPLE_CONFIG_PATH));
  const assembly = app.synth();
  return assembly.stacks.flatMap((stack) =>
    Object.entries<any>(stack.template.Resources)
      .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
      .map(([id, r]) => {
        const [file, exportName] = splitHandler(r.Properties.Handler);
        const variables: Record<string, unknown> = r.Properties.Environment?.Variables ?? {};
        return {
          name: `${stack.stackName}/${id}`,
          description: String(r.Properties.Description ?? ''),
          assetDir: join(assembly.directory, assetDirOf(r.Properties.Code.S3Key)),
          file,
          exportName,
          environment: Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, placeholder(v)])),
        };
      }),
  );
}

// The assembly stages each file asset as `asset.<hash>`; the template's S3 key is `<hash>.zip`.
function assetDirOf(s3Key: string): string {
  return `asset.${s3Key.replace(/\.zip$/, '')}`;
}

// Lambda's `Handler` is `<file without .js>.<export>`.
function splitHandler(handler: string): [string, string] {
  const dot = handler.lastIndexOf('.');
  return [`${handler.slice(0, dot)}.js`, handler.slice(dot + 1)];
}

// Resolves what can be resolved offline: a reference becomes the referenced logical id, so names stay well-formed.
function placeholder(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, any>;
  if ('Ref' in v) return String(v.Ref);
  if ('Fn::GetAtt' in v) return String(v['Fn::GetAtt'][0]);
  if ('Fn::Join' in v) return (v['Fn::Join'][1] as unknown[]).map(placeholder).join(v['Fn::Join'][0]);
  throw new Error(`cannot resolve ${JSON.stringify(value)} offline`);
}
