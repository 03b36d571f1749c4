import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation } from 'aws-cdk-lib';
import { startJobsInParallel } from './guard-in-parallel';
import { digest } from '../cache-dir';
import type { StartsEarly } from './start-early';
import { startCachedByTemplate } from './validation-cache';

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
  /** Every resource type the rule's text names: the only ones its queries can select. */
  readonly reads: ReadonlySet<string>;
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
      return { path, digest: digest(text), types: new Set(reportsOn.match(TYPE)), reads: new Set(text.match(TYPE)) };
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
 * rule about absent types could only report SKIP. Each rule file then runs once, over every
 * template it applies to, each cut down to the resources that rule can read ({@link forRule}):
 * cfn-guard's time grows with rule files x resources, and most rules read a few of a stack's
 * resources. The runs are shared out over the cores. A template's findings are cached by its
 * content, the rule files' content and the validator's version (see
 * `RESIDENCY_VALIDATION_CACHE`), so an unchanged stack is not checked again.
 */
export class ControlTowerChecks implements IPolicyValidationPlugin, StartsEarly {
  public readonly name = 'cdk-validator-cfnguard';

  constructor(private readonly props: { readonly disabledRules?: string[] } = {}) {}

  /** The rule files {@link validate} runs for templates containing `types`. */
  public static rulesFor(types: ReadonlySet<string>): string[] {
    return matchingRules(types).map((r) => r.path);
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    return this.start(context)();
  }

  /** Starts {@link validate}'s work in worker threads; the function answered waits for its report. */
  public start(context: IPolicyValidationContext): () => PolicyValidationPluginReport {
    // Each template parsed once: from the bytes the cache key is made of, or read when the cache is off.
    const templates = new Map<string, { template: Template; rules: RuleFile[] }>();
    const load = (path: string, bytes?: Buffer) => {
      if (!templates.has(path)) {
        const template = JSON.parse((bytes ?? readFileSync(path)).toString('utf8')) as Template;
        templates.set(path, { template, rules: matchingRules(typesIn(template)) });
      }
      return templates.get(path)!;
    };
    const disabled = JSON.stringify(this.props.disabledRules ?? []);
    return startCachedByTemplate(
      this.name,
      context.templatePaths,
      (path, bytes) => digest(GUARD_VERSION, disabled, ...load(path, bytes).rules.map((r) => r.digest), bytes),
      (paths) => this.startEachRule(paths, load),
      (violations) => violations.length === 0,
      (parts) => ({ success: parts.every((p) => p.success), violations: parts.flatMap((p) => p.violations) }),
    );
  }

  // One cfn-guard run per rule file, over each template that rule applies to, cut down to the
  // resources the rule can read (see {@link forRule}); findings named by the original templates,
  // in template order, each template's in rule order. The cut templates live until the wait.
  private startEachRule(paths: string[], load: (path: string) => { template: Template; rules: RuleFile[] }): () => PolicyValidationPluginReport {
    const dir = mkdtempSync(join(tmpdir(), 'residency-guard-'));
    const removeDir = () => {
      rmSync(dir, { recursive: true, force: true });
      process.removeListener('exit', removeDir);
    };
    // A synth that stops before the wait leaves no folder behind.
    process.once('exit', removeDir);
    let reports: () => PolicyValidationPluginReport[];
    const original = new Map<string, string>();
    try {
      const byRule = new Map<RuleFile, string[]>();
      paths.forEach((path, t) => {
        const { template, rules } = load(path);
        for (const rule of rules) {
          const cut = join(dir, `${ruleFiles().indexOf(rule)}-${t}.template.json`);
          writeFileSync(cut, JSON.stringify(forRule(template, rule)));
          original.set(cut, path);
          byRule.set(rule, [...(byRule.get(rule) ?? []), cut]);
        }
      });
      reports = startJobsInParallel([...byRule].map(([rule, templatePaths]) => ({ props: this.guardProps([rule.path]), templatePaths })));
    } catch (e) {
      removeDir();
      throw e;
    }
    return () => {
      try {
        const done = reports();
        const order = new Map(paths.map((path, i) => [path, i]));
        const renamed = done.flatMap((r) =>
          r.violations.map((v) => ({ ...v, violatingResources: v.violatingResources.map((res) => ({ ...res, templatePath: original.get(res.templatePath ?? '') ?? res.templatePath })) })),
        );
        const first = (v: PolicyViolation) => Math.min(...v.violatingResources.map((r) => order.get(r.templatePath ?? '') ?? Infinity));
        // Stable: within a template, the violations stay in rule order.
        return { success: done.every((r) => r.success), violations: renamed.sort((a, b) => first(a) - first(b)) };
      } finally {
        removeDir();
      }
    };
  }

  private guardProps(rules: string[]) {
    return { controlTowerRulesEnabled: false, rules, disabledRules: this.props.disabledRules, maxBuffer: 256 * 1024 * 1024 };
  }
}

function matchingRules(types: ReadonlySet<string>): RuleFile[] {
  return ruleFiles().filter((r) => r.types.size === 0 || [...r.types].some((t) => types.has(t)));
}

interface Template {
  readonly Resources?: Record<string, { readonly Type?: string }>;
  readonly [section: string]: unknown;
}

function typesIn(template: Template): Set<string> {
  return new Set(Object.values(template.Resources ?? {}).flatMap((r) => (r.Type ? [r.Type] : [])));
}

/**
 * `template` with only the resources `rule` can read: those of a type its text names (every
 * Control Tower rule selects resources by `Type ==` a type it names), and those they refer to
 * by `Ref` or `Fn::GetAtt` (a rule looks a referenced resource up by its key, then checks its
 * type, so the lookup finds the same resource). Every other section stays. cfn-guard's time
 * grows with each rule's share of the template, so a rule about two buckets no longer walks
 * every resource of the stack.
 */
export function forRule(template: Template, rule: Pick<RuleFile, 'reads'>): Template {
  const resources = template.Resources ?? {};
  const keep = new Set(Object.keys(resources).filter((id) => rule.reads.has(resources[id]!.Type ?? '')));
  for (const id of [...keep]) for (const ref of referencesIn(resources[id])) if (ref in resources) keep.add(ref);
  return { ...template, Resources: Object.fromEntries(Object.entries(resources).filter(([id]) => keep.has(id))) };
}

function referencesIn(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) referencesIn(v, into);
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'Ref' && typeof v === 'string') into.add(v);
      else if (key === 'Fn::GetAtt') into.add(Array.isArray(v) ? String(v[0]) : String(v).split('.')[0]!);
      referencesIn(v, into);
    }
  }
  return into;
}
