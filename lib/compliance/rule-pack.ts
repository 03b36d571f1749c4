import { CfnResource, PolicyValidationPluginReport, Stack } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { AppModel, RenderedResource, StackFacts } from './model/app-model';
import { View } from './model/places';

/** What a rule's check reads: the resource as rendered, its stack's facts and the app model. */
export interface RuleView extends View {
  /** The resource's properties as they will be deployed, references as markers. */
  readonly props: Record<string, any>;
  /** The resource's template entry (type, properties, metadata). */
  readonly resource: RenderedResource;
  /** Region, realms and jurisdiction of the resource's stack. */
  readonly facts: StackFacts;
}

/** One rule of a {@link RulePack}, as cdk-nag's packs define theirs. */
export interface PackRule {
  /** The rule's name: the id suffix after `<Pack>-`. */
  readonly name: string;
  /** The resource types the rule inspects; it is not applied to others. */
  readonly resourceTypes: readonly string[];
  /** Why the rule was triggered (the finding's description). */
  readonly info: string;
  /** Why the rule exists (shown with `verbose`). */
  readonly explanation: string;
  /** The severity of a finding. */
  readonly level: NagMessageLevel;
  /** The cdk-nag rule function; its `name` is the rule's name. */
  readonly rule: (node: CfnResource) => NagRuleResult;
}

/** What {@link defineRule} takes. */
export interface RuleSpec {
  /** See {@link PackRule.name}. */
  readonly name: string;
  /** See {@link PackRule.resourceTypes}. */
  readonly resourceTypes: readonly string[];
  /** See {@link PackRule.info}. */
  readonly info: string;
  /** See {@link PackRule.explanation}. */
  readonly explanation: string;
  /**
   * See {@link PackRule.level}.
   * @default NagMessageLevel.ERROR
   */
  readonly level?: NagMessageLevel;
  /** The check, for a resource of one of the types: compliance, or the findings (granular ids). */
  readonly check: (view: RuleView) => NagRuleResult;
}

/** A rule from its spec: the check wrapped as a named cdk-nag rule function over the rendered resource. */
export function defineRule(spec: RuleSpec): PackRule {
  const rule = (node: CfnResource): NagRuleResult => {
    const model = AppModel.of(node);
    const stack = Stack.of(node);
    const resource = model.render(node);
    return spec.check({ node, stack, model, resource, props: resource.Properties, facts: model.stackFacts(stack) });
  };
  Object.defineProperty(rule, 'name', { value: spec.name });
  return { name: spec.name, resourceTypes: spec.resourceTypes, info: spec.info, explanation: spec.explanation, level: spec.level ?? NagMessageLevel.ERROR, rule };
}

/**
 * A cdk-nag 3 pack made of {@link PackRule}s: each rule is applied to the resources of its
 * types; findings and acknowledgements work exactly as in cdk-nag's own packs
 * (`<Pack>::<Pack>-<Rule>`, granular `<Pack>::<Pack>-<Rule>[<finding>]`).
 */
export abstract class RulePack extends NagPack {
  /** The pack's rules. */
  public abstract readonly rules: readonly PackRule[];

  /** Validates the tree under `scope`, reading it afresh (the model of an earlier run is dropped). */
  public override validateScope(scope: IConstruct): PolicyValidationPluginReport {
    AppModel.reset(scope);
    try {
      return super.validateScope(scope);
    } finally {
      AppModel.reset(scope);
    }
  }

  protected checkResource(node: CfnResource): void {
    for (const r of this.rules) {
      if (!r.resourceTypes.includes(node.cfnResourceType)) continue;
      this.applyRule({ ruleSuffixOverride: r.name, info: r.info, explanation: r.explanation, level: r.level, rule: r.rule, node });
    }
  }
}

/** `value` as a list: a rendered list property, or nothing. */
export function list(value: unknown): any[] {
  return Array.isArray(value) ? value : [];
}

/** Compliant without findings, else the findings (granular rule ids `<Rule>[<finding>]`). */
export function result(findings: readonly string[]): NagRuleResult {
  return findings.length === 0 ? NagRuleCompliance.COMPLIANT : [...findings];
}
