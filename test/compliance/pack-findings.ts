import { App, Stack } from 'aws-cdk-lib';
import { RulePack } from '../../lib/compliance/rule-pack';
import { tagRealm } from '../../lib/compliance/realm-tags';

/** An App with the CLI's explicit-stack-tags flag and no asset bundling. */
export function testApp(): App {
  return new App({ context: { '@aws-cdk/core:explicitStackTags': true, 'aws:cdk:bundling-stacks': [] } });
}

/** A stack in `region` (none: environment-agnostic) recording `realms` with tagRealm. */
export function realmStack(app: App, id: string, region: string | undefined, ...realms: string[]): Stack {
  const stack = new Stack(app, id, { env: region === undefined ? undefined : { region }, crossRegionReferences: true });
  for (const realm of realms) tagRealm(stack, realm);
  return stack;
}

/** One finding: the rule id as the pack reports it (granular part included) and the flagged construct. */
export interface Finding {
  readonly id: string;
  readonly path: string;
}

/**
 * The findings of `rule` (`<Pack>-<rule>` and its granular `<Pack>-<rule>[...]`) when `pack`
 * validates the synthesized `app`, as cdk-nag's own rule tests look at one rule at a time.
 */
export function findingsOf(app: App, pack: RulePack, rule: string): Finding[] {
  app.synth();
  const id = `${pack.readPackName}-${rule}`;
  return pack
    .validateScope(app)
    .violations.filter((v) => v.ruleName === id || v.ruleName.startsWith(`${id}[`))
    .flatMap((v) => v.violatingResources.map((r) => ({ id: v.ruleName, path: r.constructPath! })));
}
