import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ResidencyConfig, loadConfig } from '../../lib/config';
import { addResidencyStacks } from '../../lib/stacks/residency-app';
import { RealmStack } from '../../lib/stacks/realm-stack';
import { EXAMPLE_CONFIG_PATH } from './example-config';

/** The example app without compliance packs, for fine-grained template assertions. */
export function exampleStacks(config: ResidencyConfig = loadConfig(EXAMPLE_CONFIG_PATH)): {
  config: ResidencyConfig;
  stacks: readonly RealmStack[];
  templates: ReadonlyMap<RealmStack, Template>;
} {
  const app = new App();
  const { realmStacks } = addResidencyStacks(app, config);
  return { config, stacks: realmStacks, templates: new Map(realmStacks.map((s) => [s, Template.fromStack(s)])) };
}
