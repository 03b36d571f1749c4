import { DescribeStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import type { AssemblyStack, TemplateResource } from '../report/assembly';
import { Json, at } from '../report/json';
import { PreflightClients } from './clients';
import { PreflightCheck, Read, read } from './problem';

/** What a stack holds in the account now: nothing (not deployed) or its resources' physical ids by logical id. */
export type DeployedStack = { readonly exists: false } | { readonly exists: true; readonly physicalIds: ReadonlyMap<string, string> };

/** What every check is given: the caller's account, the assembly's stacks with a region, and the clients. */
export interface PreflightContext {
  readonly account: string;
  /** `aws`, `aws-cn`, ...: from the caller's ARN. */
  readonly partition: string;
  /** The stacks to deploy, each with its region. */
  readonly stacks: readonly RegionalStack[];
  readonly clients: PreflightClients;
  /** The stack as CloudFormation has it now (one DescribeStackResources per stack, shared by the checks). */
  deployed(stack: RegionalStack, check: PreflightCheck): Promise<Read<DeployedStack>>;
}

/** A stack of the assembly that names its region. */
export type RegionalStack = AssemblyStack & { readonly region: string };

export function makeContext(account: string, partition: string, stacks: readonly RegionalStack[], clients: PreflightClients): PreflightContext {
  const cache = new Map<string, Promise<DeployedStack>>();
  const describe = (stack: RegionalStack): Promise<DeployedStack> =>
    clients
      .cloudFormation(stack.region)
      .send(new DescribeStackResourcesCommand({ StackName: stack.stackName }))
      .then(
        (out): DeployedStack => ({
          exists: true,
          physicalIds: new Map((out.StackResources ?? []).flatMap((r) => (r.LogicalResourceId && r.PhysicalResourceId ? [[r.LogicalResourceId, r.PhysicalResourceId]] : []))),
        }),
      )
      // CloudFormation answers a stack it does not have with a ValidationError ("Stack with id X does not exist").
      .catch((e) => (/does not exist/.test(String((e as Error)?.message)) ? { exists: false as const } : Promise.reject(e)));
  return {
    account,
    partition,
    stacks,
    clients,
    deployed(stack, check) {
      const key = `${stack.region}/${stack.stackName}`;
      if (!cache.has(key)) cache.set(key, describe(stack));
      return read(stack.region, check, 'cloudformation:DescribeStackResources', () => cache.get(key)!);
    },
  };
}

/** The stacks of one region, regions in first-seen order. */
export function byRegion(stacks: readonly RegionalStack[]): Map<string, RegionalStack[]> {
  const regions = new Map<string, RegionalStack[]>();
  for (const s of stacks) regions.set(s.region, [...(regions.get(s.region) ?? []), s]);
  return regions;
}

/** Each resource of the given types in the stacks, with its stack and logical id. */
export function resourcesOf(stacks: readonly RegionalStack[], ...types: string[]): Array<{ stack: RegionalStack; logicalId: string; resource: TemplateResource }> {
  return stacks.flatMap((stack) =>
    Object.entries(stack.resources)
      .filter(([, r]) => types.includes(r.Type))
      .map(([logicalId, resource]) => ({ stack, logicalId, resource })),
  );
}

/**
 * A template value as a string, where it is a literal or built only from the pseudo
 * parameters a deployment fixes (account, region, partition, URL suffix); otherwise undefined.
 */
export function resolveString(value: Json | undefined, ctx: Pick<PreflightContext, 'account' | 'partition'>, region: string): string | undefined {
  if (typeof value === 'string') return value;
  const pseudo: Record<string, string> = {
    'AWS::AccountId': ctx.account,
    'AWS::Region': region,
    'AWS::Partition': ctx.partition,
    'AWS::URLSuffix': ctx.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com',
  };
  const ref = at(value, 'Ref');
  if (typeof ref === 'string') return pseudo[ref];
  const join = at(value, 'Fn::Join');
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    const parts = join[1].map((part) => resolveString(part, ctx, region));
    return parts.every((p): p is string => p !== undefined) ? parts.join(join[0]) : undefined;
  }
  return undefined;
}

