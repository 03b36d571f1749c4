import { AssemblyStack } from './assembly';
import { Json, isTrue, referencedIds, regionOfArn, str } from './json';

/**
 * What protects a store at rest: a customer managed key defined in the same stack,
 * a key imported by ARN, an AWS managed key (`aws/<service>`), an AWS owned key
 * (the service default when no key is named), or a value the report cannot resolve.
 */
export type KeyKind = 'customer-managed' | 'imported' | 'aws-managed' | 'aws-owned' | 'unresolved';

/** The key that encrypts a store. */
export interface KeyRef {
  /** What kind of key it is. */
  readonly kind: KeyKind;
  /** A one-line description for the report. */
  readonly label: string;
  /** Logical id of the `AWS::KMS::Key` (customer managed keys of the stack). */
  readonly keyLogicalId?: string;
  /** The key's aliases, such as `alias/my-app/eu`. */
  readonly aliases?: readonly string[];
  /** The region a key imported by ARN lives in. */
  readonly region?: string;
}

/** A customer managed key defined in a stack. */
export interface StackKey {
  /** Logical id of the `AWS::KMS::Key`. */
  readonly logicalId: string;
  /** Construct path below the stack, where recorded. */
  readonly path?: string;
  /** The key's aliases. */
  readonly aliases: readonly string[];
  /** Automatic yearly rotation on. */
  readonly rotation: boolean;
  /** A multi-Region key (its material can be replicated to other regions). */
  readonly multiRegion: boolean;
  /** Why the report flags it, if it does. */
  readonly flag?: string;
}

/** The customer managed keys of a stack with their aliases, rotation and multi-Region setting. */
export function keysOfStack(stack: AssemblyStack): StackKey[] {
  return Object.entries(stack.resources)
    .filter(([, r]) => r.Type === 'AWS::KMS::Key')
    .map(([id, r]) => {
      const rotation = isTrue(r.Properties?.EnableKeyRotation);
      const multiRegion = isTrue(r.Properties?.MultiRegion);
      const flag = multiRegion
        ? 'multi-Region key: its material can be replicated out of the region'
        : !rotation
          ? 'automatic rotation is off'
          : undefined;
      return { logicalId: id, path: stack.paths.get(id), aliases: aliasesOf(stack, id), rotation, multiRegion, ...(flag ? { flag } : {}) };
    });
}

/**
 * Resolves a key property (`KMSMasterKeyId`, `KmsKeyId`, `EncryptionKeyArn`...) to the key it
 * names; `whenAbsent` describes the service default used when the property is not set.
 */
export function resolveKey(stack: AssemblyStack, value: Json, whenAbsent: KeyRef): KeyRef {
  if (value === undefined || value === null || value === '') return whenAbsent;
  for (const id of referencedIds(value)) {
    const target = stack.resources[id];
    if (target?.Type === 'AWS::KMS::Key') return customerManaged(stack, id);
    if (target?.Type === 'AWS::KMS::Alias') {
      const keyId = referencedIds(target.Properties?.TargetKeyId).find((k) => stack.resources[k]?.Type === 'AWS::KMS::Key');
      if (keyId) return customerManaged(stack, keyId);
    }
  }
  const text = str(value);
  if (text === undefined) return { kind: 'unresolved', label: 'a key the report cannot resolve from the template' };
  const managed = /(?:^|:)alias\/(aws\/[\w-]+)$/.exec(text)?.[1];
  if (managed) return awsManaged(managed);
  const region = regionOfArn(text);
  return { kind: 'imported', label: `key imported by ARN or id (${text})`, ...(region ? { region } : {}) };
}

/** The AWS managed key of a service, such as `aws/s3`. */
export function awsManaged(alias: string): KeyRef {
  return { kind: 'aws-managed', label: `AWS managed key (${alias})`, aliases: [`alias/${alias}`] };
}

/** The key a service uses when none is named: owned by AWS, not visible in the account. */
export function awsOwned(what: string): KeyRef {
  return { kind: 'aws-owned', label: `AWS owned key (${what})` };
}

function customerManaged(stack: AssemblyStack, id: string): KeyRef {
  const aliases = aliasesOf(stack, id);
  const label = `customer managed key ${id}${aliases.length ? ` (${aliases.join(', ')})` : ''}`;
  return { kind: 'customer-managed', label, keyLogicalId: id, aliases };
}

function aliasesOf(stack: AssemblyStack, keyId: string): string[] {
  return Object.values(stack.resources)
    .filter((r) => r.Type === 'AWS::KMS::Alias' && referencedIds(r.Properties?.TargetKeyId).includes(keyId))
    .map((r) => str(r.Properties?.AliasName))
    .filter((a): a is string => a !== undefined);
}
