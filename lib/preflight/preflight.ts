import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ReportError, readStackAssembly } from '../report/assembly';
import { checkBootstrap } from './bootstrap';
import { PreflightClients, defaultClients } from './clients';
import { PreflightContext, RegionalStack, makeContext } from './context';
import { checkEdge } from './edge';
import { checkFixedNames } from './fixed-names';
import { checkHostedZones } from './hosted-zone';
import { checkLambdaConcurrency } from './lambda-concurrency';
import { PreflightError, PreflightProblem, errorName, firstLine, formatProblem } from './problem';
import { checkZones } from './zones';

/** Options of {@link preflight}. */
export interface PreflightOptions {
  /** The synthesized cloud assembly (default `cdk.out`). */
  readonly assembly?: string;
  /** SDK clients to read with instead of the default credential chain's, per service. */
  readonly clients?: Partial<PreflightClients>;
}

/** What {@link preflight} found. */
export interface PreflightResult {
  /** The caller's account. */
  readonly account: string;
  /** The regions the assembly deploys to, in manifest order. */
  readonly regions: readonly string[];
  /** The stacks checked. */
  readonly stacks: readonly string[];
  /** Every problem, sorted by region and check; empty when the account can take the assembly. */
  readonly problems: readonly PreflightProblem[];
}

const CHECKS: ReadonlyArray<(ctx: PreflightContext) => Promise<PreflightProblem[]>> = [
  checkLambdaConcurrency,
  checkBootstrap,
  checkHostedZones,
  checkZones,
  checkEdge,
  checkFixedNames,
];

/**
 * Reads the synthesized assembly and, with the caller's credentials, whether the account can
 * deploy it: Lambda concurrency, CDK bootstrap, hosted zone, zones and endpoint services,
 * CloudFront prerequisites and leftover fixed-name tables and buckets.
 * @throws PreflightError when the assembly is unusable or there are no credentials
 */
export async function preflight(options: PreflightOptions = {}): Promise<PreflightResult> {
  const dir = options.assembly ?? 'cdk.out';
  let assemblyStacks;
  try {
    assemblyStacks = readStackAssembly(dir).stacks;
  } catch (e) {
    throw e instanceof ReportError ? new PreflightError(e.message) : e;
  }
  const clients = defaultClients(options.clients);
  const stacks = assemblyStacks.filter((s): s is RegionalStack => s.region !== undefined);
  const problems: PreflightProblem[] = assemblyStacks
    .filter((s) => s.region === undefined)
    .map((s) => ({ region: 'unknown', check: 'account', found: `stack ${s.stackName} without a region`, expected: 'every stack with env.region', fix: 'give the stack a region; preflight checks a region only when the assembly names it' }));
  const { account, partition } = await callerIdentity(clients, stacks[0]?.region ?? 'us-east-1');
  for (const s of stacks.filter((x) => x.account !== undefined && x.account !== account)) {
    problems.push({ region: s.region, check: 'account', found: `credentials of account ${account}`, expected: `account ${s.account}, which ${s.stackName} names`, fix: 'use credentials of that account (AWS_PROFILE), or change app.account and synthesize again' });
  }
  const ctx = makeContext(account, partition, stacks, clients);
  for (const found of await Promise.all(CHECKS.map((check) => check(ctx)))) problems.push(...found);
  return { account, regions: [...new Set(stacks.map((s) => s.region))], stacks: stacks.map((s) => s.stackName), problems: sortedUnique(problems) };
}

async function callerIdentity(clients: PreflightClients, region: string): Promise<{ account: string; partition: string }> {
  try {
    const me = await clients.sts(region).send(new GetCallerIdentityCommand({}));
    if (!me.Account) throw new Error('GetCallerIdentity named no account');
    return { account: me.Account, partition: me.Arn?.split(':')[1] ?? 'aws' };
  } catch (e) {
    throw new PreflightError(`no usable AWS credentials (${errorName(e)}: ${firstLine(e)}); expected credentials of the account to deploy to (AWS_PROFILE, or aws sso login)`);
  }
}

// Several checks read the same stack; a refusal to read it is one problem, not one per check.
function sortedUnique(problems: readonly PreflightProblem[]): PreflightProblem[] {
  const seen = new Set<string>();
  const unique = problems.filter((p) => {
    const key = `${p.region} ${p.found}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
  return unique.sort((a, b) => a.region.localeCompare(b.region) || formatProblem(a).localeCompare(formatProblem(b)));
}
