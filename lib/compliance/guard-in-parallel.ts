import { availableParallelism } from 'node:os';
import { statSync } from 'node:fs';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { PolicyValidationPluginReport } from 'aws-cdk-lib';
import type { CfnGuardValidatorProps } from '@cdklabs/cdk-validator-cfnguard';

// Runs in each worker thread: one CfnGuardValidator over a share of the templates. Its
// cfn-guard child process blocks only this thread, so the shares run side by side.
const WORKER = `
const { workerData } = require('node:worker_threads');
const { modulePath, props, templatePaths, port, done } = workerData;
let message;
try {
  const { CfnGuardValidator } = require(modulePath);
  message = { report: new CfnGuardValidator(props).validate({ templatePaths }) };
} catch (error) {
  message = { error: String(error && error.stack || error) };
}
port.postMessage(message);
Atomics.add(done, 0, 1);
Atomics.notify(done, 0);
`;

// A worker that dies without reporting (out of memory) would otherwise be waited for forever.
const GUARD_TIMEOUT_MS = 10 * 60_000;

/** One cfn-guard run to make: `CfnGuardValidator(props)` over `templatePaths`. */
export interface GuardJob {
  readonly props: CfnGuardValidatorProps;
  readonly templatePaths: readonly string[];
}

/**
 * Validates `templatePaths` with `CfnGuardValidator(props)`, split across up to
 * `availableParallelism()` worker threads, and merges the reports. The result equals one
 * validator run over all templates: cfn-guard reports each template separately, and the
 * merged violations keep that per-template form. It blocks until every share is done
 * (policy validation plugins are synchronous). cfn-guard's time grows with rule files x
 * templates, so on 2 cores 12 realm stacks take about half as long.
 */
export function validateWithGuardInParallel(props: CfnGuardValidatorProps, templatePaths: readonly string[]): PolicyValidationPluginReport {
  return validateJobsInParallel([{ props, templatePaths }])[0]!;
}

/**
 * {@link validateWithGuardInParallel} for several jobs at once (rule sets with their templates):
 * every job's shares run side by side, and each job gets its merged report.
 */
export function validateJobsInParallel(jobs: readonly GuardJob[]): PolicyValidationPluginReport[] {
  const cores = availableParallelism();
  const shares = jobs.flatMap((job, index) =>
    shareOut(job.templatePaths, Math.min(cores, job.templatePaths.length)).map((templatePaths) => ({ index, props: job.props, templatePaths })),
  );
  const done = new Int32Array(new SharedArrayBuffer(4));
  const modulePath = require.resolve('@cdklabs/cdk-validator-cfnguard');
  const runs = shares.map((share) => {
    const { port1, port2 } = new MessageChannel();
    const workerData = { modulePath, props: share.props, templatePaths: share.templatePaths, port: port2, done };
    const worker = new Worker(WORKER, { eval: true, workerData, transferList: [port2] });
    return { worker, port: port1, index: share.index };
  });
  const deadline = Date.now() + GUARD_TIMEOUT_MS;
  for (let finished = Atomics.load(done, 0); finished < runs.length; finished = Atomics.load(done, 0)) {
    if (Date.now() > deadline) {
      for (const run of runs) void run.worker.terminate();
      throw new Error(`cfn-guard validation did not finish within ${GUARD_TIMEOUT_MS / 60_000} minutes`);
    }
    Atomics.wait(done, 0, finished, 1000);
  }
  const reports = runs.map(({ worker, port, index }) => {
    const received = receiveMessageOnPort(port)?.message as { report?: PolicyValidationPluginReport; error?: string } | undefined;
    port.close();
    void worker.terminate();
    if (!received?.report) throw new Error(`cfn-guard validation failed: ${received?.error ?? 'a worker ended without a report'}`);
    return { index, report: received.report };
  });
  return jobs.map((_, i) => {
    const mine = reports.filter((r) => r.index === i).map((r) => r.report);
    return { success: mine.every((r) => r.success), violations: mine.flatMap((r) => r.violations) };
  });
}

/** `paths` in `count` shares of about equal total size (largest first, each to the lightest share). */
function shareOut(paths: readonly string[], count: number): string[][] {
  const shares = Array.from({ length: Math.max(count, 1) }, () => ({ bytes: 0, paths: [] as string[] }));
  const sized = paths.map((path) => ({ path, bytes: statSync(path).size })).sort((a, b) => b.bytes - a.bytes);
  for (const { path, bytes } of sized) {
    const lightest = shares.reduce((a, b) => (b.bytes < a.bytes ? b : a));
    lightest.paths.push(path);
    lightest.bytes += bytes;
  }
  return shares.map((s) => s.paths.sort()).filter((p) => p.length > 0);
}
