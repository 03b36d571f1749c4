import { CfnElement, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** The logical id in `stack`'s template of an L1, or of an L2's default child. */
export function logicalIdOf(stack: Stack, c: IConstruct): string {
  return stack.getLogicalId((c instanceof CfnElement ? c : c.node.defaultChild) as CfnElement);
}
