import { GetAccountSettingsCommand } from '@aws-sdk/client-lambda';
import { GetServiceQuotaCommand, ListRequestedServiceQuotaChangeHistoryByQuotaCommand } from '@aws-sdk/client-service-quotas';
import { at, num } from '../report/json';
import { PreflightContext, byRegion, resourcesOf } from './context';
import { PreflightProblem, read } from './problem';

/** Lambda refuses a reservation that leaves less than this unreserved in the region. */
export const LAMBDA_MIN_UNRESERVED = 100;
/** Service Quotas' code for Lambda "Concurrent executions". */
export const LAMBDA_CONCURRENCY_QUOTA = 'L-B99A9384';

/**
 * The region's Lambda concurrency takes the templates' reservations plus the 100 Lambda keeps
 * unreserved: GetAccountSettings, and Service Quotas for the quota and pending increase requests.
 */
export async function checkLambdaConcurrency(ctx: PreflightContext): Promise<PreflightProblem[]> {
  const problems: PreflightProblem[] = [];
  for (const [region, stacks] of byRegion(ctx.stacks)) {
    const functions = resourcesOf(stacks, 'AWS::Lambda::Function');
    let reserved = 0;
    let newlyReserved = 0;
    for (const f of functions) {
      // Reserved concurrency is optional: a function without it draws on the unreserved pool.
      const n = num(at(f.resource.Properties, 'ReservedConcurrentExecutions')) ?? 0;
      reserved += n;
      const deployed = await ctx.deployed(f.stack, 'lambda-concurrency');
      if (!deployed.ok) problems.push(deployed.problem);
      // A function already deployed holds its reservation already; only new ones (or unknown: count them) take from the unreserved pool.
      if (!(deployed.ok && deployed.value.exists && deployed.value.physicalIds.has(f.logicalId))) newlyReserved += n;
    }
    const settings = await read(region, 'lambda-concurrency', 'lambda:GetAccountSettings', () => ctx.clients.lambda(region).send(new GetAccountSettingsCommand({})));
    if (!settings.ok) {
      problems.push(settings.problem);
      continue;
    }
    const limit = settings.value.AccountLimit?.ConcurrentExecutions ?? 0;
    const unreserved = settings.value.AccountLimit?.UnreservedConcurrentExecutions ?? 0;
    const needed = reserved + LAMBDA_MIN_UNRESERVED;
    const held = `${reserved} reserved by ${functions.filter((f) => num(at(f.resource.Properties, 'ReservedConcurrentExecutions'))).length} functions of ${stacks.map((s) => s.stackName).join(', ')}`;
    if (limit < needed) {
      problems.push({
        region,
        check: 'lambda-concurrency',
        found: `a concurrent executions limit of ${limit}`,
        expected: `at least ${needed} (${held} + ${LAMBDA_MIN_UNRESERVED} unreserved)`,
        fix: await increaseAdvice(ctx, region, needed, problems),
      });
    } else if (unreserved - newlyReserved < LAMBDA_MIN_UNRESERVED) {
      problems.push({
        region,
        check: 'lambda-concurrency',
        found: `${unreserved} unreserved concurrent executions of ${limit} (other functions reserve ${limit - unreserved})`,
        expected: `at least ${newlyReserved + LAMBDA_MIN_UNRESERVED} unreserved (${newlyReserved} newly reserved + ${LAMBDA_MIN_UNRESERVED})`,
        fix: `lower other functions' reserved concurrency in ${region}, or ${await increaseAdvice(ctx, region, limit + newlyReserved + LAMBDA_MIN_UNRESERVED - unreserved, problems)}`,
      });
    }
  }
  return problems;
}

// How to raise the quota, and whether an increase is already on its way (Service Quotas knows; Lambda does not).
async function increaseAdvice(ctx: PreflightContext, region: string, desired: number, problems: PreflightProblem[]): Promise<string> {
  const quotas = ctx.clients.serviceQuotas(region);
  const ids = { ServiceCode: 'lambda', QuotaCode: LAMBDA_CONCURRENCY_QUOTA };
  const quota = await read(region, 'lambda-concurrency', 'servicequotas:GetServiceQuota', () => quotas.send(new GetServiceQuotaCommand(ids)));
  const history = await read(region, 'lambda-concurrency', 'servicequotas:ListRequestedServiceQuotaChangeHistoryByQuota', () =>
    quotas.send(new ListRequestedServiceQuotaChangeHistoryByQuotaCommand(ids)),
  );
  for (const r of [quota, history]) if (!r.ok) problems.push(r.problem);
  const pending = history.ok ? history.value.RequestedQuotas?.find((q) => q.Status === 'PENDING' || q.Status === 'CASE_OPENED') : undefined;
  if (pending) return `an increase to ${pending.DesiredValue} is already requested (${pending.Status}); deploy when it is granted`;
  if (quota.ok && quota.value.Quota?.Adjustable === false) return `quota ${LAMBDA_CONCURRENCY_QUOTA} is not adjustable here; ask AWS Support`;
  return `request it: aws service-quotas request-service-quota-increase --service-code lambda --quota-code ${LAMBDA_CONCURRENCY_QUOTA} --desired-value ${desired} --region ${region}`;
}
