import { CfnResource } from 'aws-cdk-lib';
import { RuleView } from '../rule-pack';
import { flatten, partsIn } from '../model/flatten';

/** A cache behavior of a distribution, with its path pattern (`default` for the default behavior). */
export interface Behavior {
  /** The path pattern, or `default`. */
  readonly path: string;
  /** The rendered behavior. */
  readonly behavior: Record<string, any>;
}

/** The default behavior and every cache behavior of a rendered `DistributionConfig`. */
export function behaviorsOf(config: Record<string, any>): Behavior[] {
  const others = Array.isArray(config.CacheBehaviors) ? config.CacheBehaviors : [];
  return [
    { path: 'default', behavior: config.DefaultCacheBehavior ?? {} },
    ...others.map((b: any) => ({ path: String(b?.PathPattern), behavior: b ?? {} })),
  ];
}

/**
 * The `ResponseHeadersPolicyConfig` a behavior's `ResponseHeadersPolicyId` points at, when it is a
 * policy defined in this app; `undefined` for none, an AWS managed policy id or anything else.
 */
export function responseHeadersPolicyOf(behavior: Record<string, any>, view: RuleView): Record<string, any> | undefined {
  const id = behavior.ResponseHeadersPolicyId;
  if (id === undefined) return undefined;
  const text = flatten(id, view.stack, view.model);
  const parts = partsIn(text, view.model);
  if (parts.length !== 1 || parts[0]!.length !== text.length) return undefined;
  const part = parts[0]!.part;
  const target = part.kind === 'ref' ? part.target : part.kind === 'local' ? view.model.resourceInStack(part.stack, part.logicalId) : undefined;
  if (!target || !CfnResource.isCfnResource(target) || target.cfnResourceType !== 'AWS::CloudFront::ResponseHeadersPolicy') return undefined;
  return view.model.render(target).Properties.ResponseHeadersPolicyConfig;
}
