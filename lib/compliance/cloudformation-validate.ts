import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { CloudFormationValidatePlugin, IPolicyValidationContext, PolicyValidationPluginReport, PolicyViolation } from 'aws-cdk-lib';
import { digest } from '../cache-dir';
import { inWorkersSync } from './sync-workers';
import { cachedByTemplate, isFailure, TemplateResult } from './validation-cache';

const CDK_VERSION: string = require('aws-cdk-lib/package.json').version;
// The rule engine's version, as its package states it: what `plugin.version` answers, without
// loading the engine (compiling its WebAssembly costs a warm synth 0.1 s).
const ENGINE_VERSION: string = require(require.resolve('@aws/cloudformation-validate/package.json', { paths: [require.resolve('aws-cdk-lib')] })).version;

/**
 * aws-cdk-lib's "CloudFormation Validate", attached explicitly (so it is timed and cached like
 * the packs) yet the very check aws-cdk-lib would add by default: an instance of its class, so
 * aws-cdk-lib adds no second one, and validating through aws-cdk-lib's process-wide instance,
 * whose rule engine is loaded once and reused by every App of the process. A template's
 * findings are cached by its content, its stack's path, account and region, and the versions
 * of aws-cdk-lib and its validator (see `RESIDENCY_VALIDATION_CACHE`).
 */
export class CloudFormationValidate extends CloudFormationValidatePlugin {
  public override validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const plugin = shared();
    const stacks = new Map((context.stackTemplates ?? []).map((s) => [s.templatePath, s]));
    // Without a stack for every template (an older caller), validate as aws-cdk-lib does, uncached.
    if (context.templatePaths.some((p) => !stacks.has(p))) return plugin.validate(context);
    return cachedByTemplate(
      'cloudformation-validate',
      context.templatePaths,
      (path, bytes) => {
        const s = stacks.get(path)!;
        return digest(CDK_VERSION, ENGINE_VERSION, s.stackConstructPath, s.accountId ?? '', s.region ?? '', bytes);
      },
      (paths) => validateSideBySide(plugin, context, paths.map((p) => stacks.get(p)!)),
      (violations) => !violations.some(isFailure),
      merge,
    );
  }
}

// The templates' findings joined as aws-cdk-lib joins them: one violation per rule, severity and description.
function merge(parts: TemplateResult[]): PolicyValidationPluginReport {
  const violations: PolicyViolation[] = [];
  for (const v of parts.flatMap((p) => p.violations)) {
    const existing = violations.find((e) => e.ruleName === v.ruleName && e.severity === v.severity && e.description === v.description);
    if (existing) existing.violatingResources.push(...v.violatingResources);
    else violations.push({ ...v, violatingResources: [...v.violatingResources] });
  }
  return { success: !violations.some(isFailure), violations };
}

type StackTemplate = NonNullable<IPolicyValidationContext['stackTemplates']>[number];

// Below this many templates a worker's start (loading aws-cdk-lib and the rule engine) costs more than it saves.
const SIDE_BY_SIDE_FROM = 4;

// In each worker: aws-cdk-lib's own plugin over a run of consecutive templates.
const WORKER = `
const { CloudFormationValidatePlugin } = require(payload.modulePath);
const plugin = new CloudFormationValidatePlugin();
try {
  return plugin.validate({ templatePaths: payload.stackTemplates.map((s) => s.templatePath), stackTemplates: payload.stackTemplates });
} finally {
  plugin._dispose();
}
`;

/**
 * `stackTemplates` validated by aws-cdk-lib's plugin: in this thread (its shared instance)
 * for a few, else in runs of consecutive templates, one worker thread per core. aws-cdk-lib
 * reports one violation per rule, severity and description, in the order templates first show
 * it; merging the runs' reports in order ({@link merge}) gives the very report one run makes.
 */
function validateSideBySide(plugin: CloudFormationValidatePlugin, context: IPolicyValidationContext, stackTemplates: StackTemplate[]): PolicyValidationPluginReport {
  const cores = availableParallelism();
  if (stackTemplates.length < SIDE_BY_SIDE_FROM || cores < 2) return plugin.validate({ ...context, templatePaths: stackTemplates.map((s) => s.templatePath), stackTemplates });
  const runs = consecutiveRuns(stackTemplates, cores);
  const modulePath = require.resolve('aws-cdk-lib');
  const reports = inWorkersSync<PolicyValidationPluginReport>('CloudFormation Validate', WORKER, runs.map((run) => ({ modulePath, stackTemplates: run })));
  return merge(reports);
}

/** `items` cut into up to `count` runs of consecutive items of about equal total template size. */
function consecutiveRuns(items: StackTemplate[], count: number): StackTemplate[][] {
  const sizes = items.map((s) => statSync(s.templatePath).size);
  const share = sizes.reduce((a, b) => a + b, 0) / count;
  const runs: StackTemplate[][] = [[]];
  let filled = 0;
  items.forEach((item, i) => {
    if (filled >= share * runs.length && runs.length < count) runs.push([]);
    runs[runs.length - 1]!.push(item);
    filled += sizes[i]!;
  });
  return runs.filter((r) => r.length > 0);
}

function shared(): CloudFormationValidatePlugin {
  return (CloudFormationValidatePlugin as unknown as { _singletonInstance(): CloudFormationValidatePlugin })._singletonInstance();
}
