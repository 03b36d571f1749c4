import { CloudFormationValidatePlugin, IPolicyValidationContext, PolicyValidationPluginReport, PolicyViolation } from 'aws-cdk-lib';
import { digest } from '../cache-dir';
import { cachedByTemplate, isFailure, TemplateResult } from './validation-cache';

const CDK_VERSION: string = require('aws-cdk-lib/package.json').version;

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
        return digest(CDK_VERSION, plugin.version ?? '', s.stackConstructPath, s.accountId ?? '', s.region ?? '', bytes);
      },
      (paths) => plugin.validate({ ...context, templatePaths: paths, stackTemplates: paths.map((p) => stacks.get(p)!) }),
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

function shared(): CloudFormationValidatePlugin {
  return (CloudFormationValidatePlugin as unknown as { _singletonInstance(): CloudFormationValidatePlugin })._singletonInstance();
}
