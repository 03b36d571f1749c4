import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { validateWithGuardInParallel } from './guard-in-parallel';

const RULES_DIR = join(dirname(require.resolve('@cdklabs/cdk-validator-cfnguard')), '..', 'rules', 'control-tower', 'cfn-guard');
// Each rule file's header lists the resource types it reports on, one per line, under
// `# Reports on:`; without any of them in a template the rule can only report SKIP.
const REPORTS_ON = /^#\s*Reports on:\s*\n((?:#\s+AWS::[A-Za-z0-9]+::[A-Za-z0-9]+\s*\n)+)/m;
const TYPE = /AWS::[A-Za-z0-9]+::[A-Za-z0-9]+/g;

interface RuleFile {
  readonly path: string;
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
      const reportsOn = REPORTS_ON.exec(readFileSync(path, 'utf8'))?.[1] ?? '';
      return { path, types: new Set(reportsOn.match(TYPE)) };
    });
  return catalog;
}

/**
 * The AWS Control Tower proactive controls, run by cfn-guard through
 * `@cdklabs/cdk-validator-cfnguard`, reporting under the same plugin name (so
 * acknowledgements read `cdk-validator-cfnguard::<rule>`).
 *
 * Every Control Tower rule file that reports on a resource type present in the
 * synthesized templates is run (its header's `Reports on:` list), and every file whose
 * header lists none; a rule about absent types could only report SKIP. cfn-guard's time
 * grows with rule files x templates, so the templates are shared out over the cores.
 */
export class ControlTowerChecks implements IPolicyValidationPlugin {
  public readonly name = 'cdk-validator-cfnguard';

  constructor(private readonly props: { readonly disabledRules?: string[] } = {}) {}

  /** The rule files {@link validate} runs for templates containing `types`. */
  public static rulesFor(types: ReadonlySet<string>): string[] {
    return ruleFiles()
      .filter((r) => r.types.size === 0 || [...r.types].some((t) => types.has(t)))
      .map((r) => r.path);
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const types = new Set<string>();
    for (const path of context.templatePaths) {
      const resources = JSON.parse(readFileSync(path, 'utf8')).Resources ?? {};
      for (const r of Object.values<{ Type?: string }>(resources)) if (r.Type) types.add(r.Type);
    }
    const props = {
      controlTowerRulesEnabled: false,
      rules: ControlTowerChecks.rulesFor(types),
      disabledRules: this.props.disabledRules,
      maxBuffer: 256 * 1024 * 1024,
    };
    return validateWithGuardInParallel(props, context.templatePaths);
  }
}
