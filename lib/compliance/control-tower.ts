import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation } from 'aws-cdk-lib';
import { validateJobsInParallel } from './guard-in-parallel';
import { digest } from '../cache-dir';
import { cachedByTemplate } from './validation-cache';

const GUARD_VERSION: string = require('@cdklabs/cdk-validator-cfnguard/package.json').version;

const RULES_DIR = join(dirname(require.resolve('@cdklabs/cdk-validator-cfnguard')), '..', 'rules', 'control-tower', 'cfn-guard');
// Each rule file's header lists the resource types it reports on, one per line, under
// `# Reports on:`; without any of them in a template the rule can only report SKIP.
const REPORTS_ON = /^#\s*Reports on:\s*\n((?:#\s+AWS::[A-Za-z0-9]+::[A-Za-z0-9]+\s*\n)+)/m;
const TYPE = /AWS::[A-Za-z0-9]+::[A-Za-z0-9]+/g;

interface RuleFile {
  readonly path: string;
  /** The sha256 of the file's content. */
  readonly digest: string;
  /** Resource types the rule reports on; empty when its header lists none (then it always runs). */
  readonly types: ReadonlySet<string>;
}

let catalog: readonly RuleFile[] | undefined;
function ruleFiles(): readonly RuleFile[] {
  catalog ??= readdirSync(RULES_DIR, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.guard'))
    .sort()
    .map((f) => {
      const path = join(RULES_DIR, f);
      const text = readFileSync(path, 'utf8');
      const reportsOn = REPORTS_ON.exec(text)?.[1] ?? '';
      return { path, digest: digest(text), types: new Set(reportsOn.match(TYPE)) };
    });
  return catalog;
}

/**
 * The AWS Control Tower proactive controls, run by cfn-guard through
 * `@cdklabs/cdk-validator-cfnguard`, reporting under the same plugin name (so
 * acknowledgements read `cdk-validator-cfnguard::<rule>`).
 *
 * Each template is checked with every Control Tower rule file that reports on a resource type
 * present in it (its header's `Reports on:` list), and every file whose header lists none; a
 * rule about absent types could only report SKIP. Templates with the same rule set go to
 * cfn-guard together, all rule sets at once, shared out over the cores (cfn-guard's time grows
 * with rule files x templates). A template's findings are cached by its content, the rule files'
 * content and the validator's version (see `RESIDENCY_VALIDATION_CACHE`), so an unchanged stack
 * is not checked again.
 */
export class ControlTowerChecks implements IPolicyValidationPlugin {
  public readonly name = 'cdk-validator-cfnguard';

  constructor(private readonly props: { readonly disabledRules?: string[] } = {}) {}

  /** The rule files {@link validate} runs for templates containing `types`. */
  public static rulesFor(types: ReadonlySet<string>): string[] {
    return matchingRules(types).map((r) => r.path);
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const rulesOf = new Map(context.templatePaths.map((path) => [path, matchingRules(typesIn(readFileSync(path, 'utf8')))]));
    const disabled = JSON.stringify(this.props.disabledRules ?? []);
    const order = new Map(context.templatePaths.map((path, i) => [path, i]));
    return cachedByTemplate(
      this.name,
      context.templatePaths,
      (path, bytes) => digest(GUARD_VERSION, disabled, ...rulesOf.get(path)!.map((r) => r.digest), bytes),
      (paths) => {
        const bySet = new Map<string, string[]>();
        for (const path of paths) {
          const set = rulesOf.get(path)!.map((r) => r.path).join('\n');
          bySet.set(set, [...(bySet.get(set) ?? []), path]);
        }
        const jobs = [...bySet].map(([set, templatePaths]) => ({ props: this.guardProps(set.split('\n')), templatePaths }));
        const reports = validateJobsInParallel(jobs);
        // In template order, as one run over all templates would report them.
        const first = (v: PolicyViolation) => Math.min(...v.violatingResources.map((r) => order.get(r.templatePath ?? '') ?? Infinity));
        const violations = reports.flatMap((r) => r.violations).sort((a, b) => first(a) - first(b));
        return { success: reports.every((r) => r.success), violations };
      },
      (violations) => violations.length === 0,
      (parts) => ({ success: parts.every((p) => p.success), violations: parts.flatMap((p) => p.violations) }),
    );
  }

  private guardProps(rules: string[]) {
    return { controlTowerRulesEnabled: false, rules, disabledRules: this.props.disabledRules, maxBuffer: 256 * 1024 * 1024 };
  }
}

function matchingRules(types: ReadonlySet<string>): RuleFile[] {
  return ruleFiles().filter((r) => r.types.size === 0 || [...r.types].some((t) => types.has(t)));
}

function typesIn(template: string): Set<string> {
  const resources = JSON.parse(template).Resources ?? {};
  return new Set(Object.values<{ Type?: string }>(resources).flatMap((r) => (r.Type ? [r.Type] : [])));
}
