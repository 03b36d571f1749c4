import { availableParallelism } from 'node:os';
import { statSync } from 'node:fs';
import type { PolicyValidationPluginReport } from 'aws-cdk-lib';
import type { CfnGuardValidatorProps } from '@cdklabs/cdk-validator-cfnguard';
import { startWorkers } from './sync-workers';

// Runs in each worker thread: one CfnGuardValidator run per unit of work, one after another.
// Its cfn-guard child processes block only this thread, so the workers run side by side.
const WORKER = `
const { CfnGuardValidator } = require(payload.modulePath);
return payload.units.map((u) => new CfnGuardValidator(u.props).validate({ templatePaths: u.templatePaths }));
`;

/** One cfn-guard run to make: `CfnGuardValidator(props)` over `templatePaths`. */
export interface GuardJob {
  readonly props: CfnGuardValidatorProps;
  readonly templatePaths: readonly string[];
}

/**
 * Starts validating each job (rule files with their templates) as `CfnGuardValidator(job.props)`
 * over `job.templatePaths` would, all at once, and answers a function that blocks until every
 * job is done and returns their reports in job order. The work is shared out over up to
 * `availableParallelism()` worker threads (a job split by template when there are fewer jobs
 * than cores), each running its share one cfn-guard process after another, while the calling
 * thread goes on. cfn-guard reports each template separately, so a split job reports what one
 * run over its templates does.
 */
export function startJobsInParallel(jobs: readonly GuardJob[]): () => PolicyValidationPluginReport[] {
  const cores = availableParallelism();
  const perJob = jobs.length >= cores ? 1 : Math.ceil(cores / Math.max(jobs.length, 1));
  const units = jobs.flatMap((job, index) =>
    splitPaths(job.templatePaths, Math.min(perJob, job.templatePaths.length)).map((templatePaths) => ({ index, props: job.props, templatePaths, bytes: sizeOf(templatePaths) })),
  );
  const bins = binPack(units, Math.min(cores, units.length));
  const modulePath = require.resolve('@cdklabs/cdk-validator-cfnguard');
  const payloads = bins.map((bin) => ({ modulePath, units: bin.map((u) => ({ props: u.props, templatePaths: u.templatePaths })) }));
  const answers = startWorkers<PolicyValidationPluginReport[]>('cfn-guard validation', WORKER, payloads);
  return () => {
    const results = new Map<(typeof units)[number], PolicyValidationPluginReport>();
    bins.forEach((bin, b) => bin.forEach((unit, i) => results.set(unit, answers()[b]![i]!)));
    return jobs.map((_, i) => {
      const mine = units.filter((u) => u.index === i).map((u) => results.get(u)!);
      return { success: mine.every((r) => r.success), violations: mine.flatMap((r) => r.violations) };
    });
  };
}

function sizeOf(paths: readonly string[]): number {
  return paths.reduce((sum, path) => sum + statSync(path).size, 0);
}

/** `paths` in `count` shares of about equal total size, each share in the order of `paths`. */
function splitPaths(paths: readonly string[], count: number): string[][] {
  const order = new Map(paths.map((p, i) => [p, i]));
  return binPack(
    paths.map((path) => ({ path, bytes: statSync(path).size })),
    Math.max(count, 1),
  ).map((share) => share.map((s) => s.path).sort((a, b) => order.get(a)! - order.get(b)!));
}

/** `items` in `count` bins of about equal total bytes (largest first, each to the lightest bin); no empty bins. */
function binPack<T extends { bytes: number }>(items: readonly T[], count: number): T[][] {
  const bins = Array.from({ length: Math.max(count, 1) }, () => ({ bytes: 0, items: [] as T[] }));
  for (const item of [...items].sort((a, b) => b.bytes - a.bytes)) {
    const lightest = bins.reduce((a, b) => (b.bytes < a.bytes ? b : a));
    lightest.items.push(item);
    lightest.bytes += item.bytes;
  }
  return bins.map((b) => b.items).filter((b) => b.length > 0);
}
