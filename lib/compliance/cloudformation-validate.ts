import { availableParallelism } from 'node:os';
import { CloudFormationValidatePlugin, IPolicyValidationContext, PolicyValidationPluginReport, PolicyViolation } from 'aws-cdk-lib';
import { digest } from '../cache-dir';
import type { StartsEarly } from './start-early';
import { startWorkers } from './sync-workers';
import { isFailure, startCachedByTemplate, TemplateResult } from './validation-cache';

const CDK_VERSION: string = require('aws-cdk-lib/package.json').version;
// The rule engine's version, as its package states it: what `plugin.version` answers, without
// loading the engine (compiling its WebAssembly costs a warm synth 0.1 s).
const ENGINE_VERSION: string = require(require.resolve('@aws/cloudformation-validate/package.json', { paths: [require.resolve('aws-cdk-lib')] })).version;

/**
 * aws-cdk-lib's "CloudFormation Validate", attached explicitly (so it is timed and cached like
 * the packs) yet the very check aws-cdk-lib would add by default: an instance of its class, so
 * aws-cdk-lib adds no second one. A few templates are validated through aws-cdk-lib's
 * process-wide instance, whose rule engine is loaded once and reused by every App of the
 * process; more in one worker thread, started early (see `startingEarly`). A template's
 * findings are cached by its content, its stack's path, account and region, and the versions
 * of aws-cdk-lib and its validator (see `RESIDENCY_VALIDATION_CACHE`).
 */
export class CloudFormationValidate extends CloudFormationValidatePlugin implements StartsEarly {
  /** The rule engine's version, read from its package: aws-cdk-lib's getter loads the engine to ask it. */
  public override get version(): string {
    return ENGINE_VERSION;
  }

  public override validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    return this.start(context)();
  }

  /**
   * Starts {@link validate}'s work: in a worker thread for the process's first validation or 4
   * templates or more, else (where a worker's start would cost more than it saves) at the wait.
   */
  public start(context: IPolicyValidationContext): () => PolicyValidationPluginReport {
    const plugin = shared();
    const stacks = new Map((context.stackTemplates ?? []).map((s) => [s.templatePath, s]));
    // Without a stack for every template (an older caller), validate as aws-cdk-lib does, uncached.
    if (context.templatePaths.some((p) => !stacks.has(p))) return () => plugin.validate(context);
    return startCachedByTemplate(
      'cloudformation-validate',
      context.templatePaths,
      (path, bytes) => {
        const s = stacks.get(path)!;
        return digest(CDK_VERSION, ENGINE_VERSION, s.stackConstructPath, s.accountId ?? '', s.region ?? '', bytes);
      },
      (paths) => startValidation(plugin, context, paths.map((p) => stacks.get(p)!)),
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

// Below this many templates a worker's start (loading aws-cdk-lib and the rule engine) costs more
// than it saves once this thread has loaded the engine: aws-cdk-lib's shared instance serves
// every App of the process. The first validation of a process has no engine loaded to reuse.
const IN_WORKER_FROM = 4;
let validations = 0;

// In the worker: aws-cdk-lib's own plugin over the templates, in one run.
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
 * Starts `stackTemplates` validated by aws-cdk-lib's plugin in one run, as aws-cdk-lib runs it
 * (one engine, its rules chosen by the resource types of all the templates): in a worker thread
 * for the process's first validation and from {@link IN_WORKER_FROM} templates, else at the wait
 * with aws-cdk-lib's shared instance.
 */
function startValidation(plugin: CloudFormationValidatePlugin, context: IPolicyValidationContext, stackTemplates: StackTemplate[]): () => PolicyValidationPluginReport {
  const templatePaths = stackTemplates.map((s) => s.templatePath);
  const first = validations++ === 0;
  if ((!first && stackTemplates.length < IN_WORKER_FROM) || availableParallelism() < 2) return () => plugin.validate({ ...context, templatePaths, stackTemplates });
  const reports = startWorkers<PolicyValidationPluginReport>('CloudFormation Validate', WORKER, [{ modulePath: require.resolve('aws-cdk-lib'), stackTemplates }]);
  return () => reports()[0]!;
}

function shared(): CloudFormationValidatePlugin {
  return (CloudFormationValidatePlugin as unknown as { _singletonInstance(): CloudFormationValidatePlugin })._singletonInstance();
}
