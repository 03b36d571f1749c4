import { CfnResource } from 'aws-cdk-lib';
import { flatten, partsIn } from './model/flatten';
import { View } from './model/places';

// A key ARN, alias ARN, alias name, key id or multi-Region key id, written out.
const EXPLICIT_KEY = /^(arn:[^:]+:kms:[^:]*:[^:]*:(key|alias)\/.+|alias\/.+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;
const KEY_TYPES = new Set(['AWS::KMS::Key', 'AWS::KMS::ReplicaKey', 'AWS::KMS::Alias']);

/**
 * True when `value` (a rendered key id, key ARN, alias or reference) identifies a customer
 * managed KMS key: a key (or an alias of one) defined in this app, or a key id, key ARN or
 * alias given explicitly, except AWS managed keys' `alias/aws/...`. Nothing (AWS owned key),
 * an AWS managed alias, or a value that cannot be told before deployment (a parameter,
 * an import) is not.
 */
export function isCustomerManagedKey(value: unknown, view: View): boolean {
  if (value === undefined || value === null || value === '') return false;
  const text = flatten(value, view.stack, view.model);
  if (/(^|[:/])alias\/aws\//.test(text)) return false;
  const parts = partsIn(text, view.model);
  if (parts.length === 1 && parts[0]!.at === 0 && parts[0]!.length === text.length) {
    const { part } = parts[0]!;
    if (part.kind === 'ref') return CfnResource.isCfnResource(part.target) && KEY_TYPES.has(part.target.cfnResourceType);
    if (part.kind === 'local') {
      const target = view.model.resourceInStack(part.stack, part.logicalId);
      return target !== undefined && KEY_TYPES.has(target.cfnResourceType);
    }
    return false;
  }
  // An ARN or id written out: the account (a pseudo parameter) may be unknown, the key id must not be.
  const literal = parts.reduceRight((t, p) => (p.part.kind === 'pseudo' ? t.slice(0, p.at) + '000000000000' + t.slice(p.at + p.length) : t), text);
  return !literal.includes('⟦') && EXPLICIT_KEY.test(literal);
}
