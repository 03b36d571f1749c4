import { RemovalPolicy } from 'aws-cdk-lib';

/**
 * How every stateful resource of the toolkit goes: kept when a stack is updated (replacement) or
 * deleted, but removed when the stack's first create rolls back, so a failed first deploy leaves no
 * fixed-name table, bucket or secret behind to collide with the retry. CloudFormation writes
 * `DeletionPolicy: RetainExceptOnCreate` and `UpdateReplacePolicy: Retain`.
 */
export const STATEFUL_REMOVAL_POLICY = RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE;

/** The `DeletionPolicy` values that keep a resource when its stack is deleted. */
export const RETAINING_DELETION_POLICIES: readonly string[] = ['Retain', 'RetainExceptOnCreate'];
