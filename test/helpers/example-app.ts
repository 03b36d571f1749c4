import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ResidencyConfig, loadConfig } from '../../lib/config';
import { addResidencyStacks } from '../../lib/stacks/residency-app';
import { RealmStack } from '../../lib/stacks/realm-stack';
import { EXAMPLE_CONFIG_PATH } from './example-config';

/**
 * Context for test apps: no asset bundling (`npx cdk synth` in the compliance test bundles
 * the real handlers with esbuild; template assertions need no bundle).
 */
export const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] as string[] };

/** The example app without compliance packs, for fine-grained template assertions. */
export function exampleStacks(config: ResidencyConfig = loadConfig(EXAMPLE_CONFIG_PATH)): {
  config: ResidencyConfig;
  stacks: readonly RealmStack[];
  templates: ReadonlyMap<RealmStack, Template>;
} {
  const app = new App({ context: NO_BUNDLING });
  const { realmStacks } = addResidencyStacks(app, config);
  return { config, stacks: realmStacks, templates: new Map(realmStacks.map((s) => [s, Template.fromStack(s)])) };
}
