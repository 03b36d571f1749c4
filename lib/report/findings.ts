import type { PolicyValidationReportJson } from 'aws-cdk-lib/cloud-assembly-schema';

/** A compliance finding that an acknowledgement accepted, with the reason given. */
export interface AcknowledgedFinding {
  /** The pack (validation plugin) that reported it. */
  readonly pack: string;
  /** The rule, such as `AwsSolutions-IAM5`. */
  readonly rule: string;
  /** The namespaced id the acknowledgement used. */
  readonly acknowledgedId: string;
  /** The stack of the flagged resource. */
  readonly stack: string;
  /** The flagged construct's path below its stack. */
  readonly resource: string;
  /** Why it was accepted. */
  readonly reason: string;
}

/** A finding no acknowledgement covers (warnings and infos; errors fail synthesis). */
export interface OpenFinding {
  /** The pack that reported it. */
  readonly pack: string;
  /** The rule. */
  readonly rule: string;
  /** Its severity. */
  readonly severity: string;
  /** The stack of the flagged resource. */
  readonly stack: string;
  /** The flagged construct's path below its stack. */
  readonly resource: string;
  /** The rule's description. */
  readonly description: string;
}

/** Findings of every pack, one entry per rule and flagged resource. */
export interface Findings {
  /** Accepted findings. */
  readonly acknowledged: readonly AcknowledgedFinding[];
  /** Findings left open. */
  readonly open: readonly OpenFinding[];
  /** Counts per pack. */
  readonly byPack: Readonly<Record<string, { readonly acknowledged: number; readonly open: number }>>;
}

/** The findings of a validation report, with build paths and stack traces removed from every text. */
export function findingsOf(report: PolicyValidationReportJson, roots: readonly string[] = []): Findings {
  const clean = (text: string | undefined): string => scrubPaths(text ?? '', roots);
  const acknowledged: AcknowledgedFinding[] = [];
  const open: OpenFinding[] = [];
  const byPack: Record<string, { acknowledged: number; open: number }> = {};
  for (const plugin of report.pluginReports) {
    const pack = clean(plugin.pluginName);
    const counts = (byPack[pack] = { acknowledged: 0, open: 0 });
    for (const s of plugin.suppressedViolations ?? []) {
      for (const c of s.violatingConstructs) {
        acknowledged.push({ pack, rule: clean(s.ruleName), acknowledgedId: clean(s.acknowledgedId), ...where(clean(c.constructPath)), reason: clean(s.reason) });
        counts.acknowledged++;
      }
    }
    for (const v of plugin.violations) {
      for (const c of v.violatingConstructs) {
        open.push({ pack, rule: clean(v.ruleName), severity: v.severity, ...where(clean(c.constructPath)), description: clean(v.description) });
        counts.open++;
      }
    }
  }
  return { acknowledged, open, byPack };
}

/**
 * Removes what a build machine leaks into text: stack-trace lines, the given root
 * directories, and any absolute path to a source file.
 */
export function scrubPaths(text: string, roots: readonly string[] = []): string {
  let out = text
    .split('\n')
    .filter((line) => !/^\s*at\s.+/.test(line))
    .join('\n');
  for (const root of [...roots].filter((r) => r.length > 1).sort((a, b) => b.length - a.length)) {
    out = out.split(root).join('<build>');
  }
  return out.replace(/(?<![\w.@~>-])(?:[A-Za-z]:)?(?:[\\/][^\s\\/:()'"`]+)+\.(?:[cm]?[jt]s|json)(?::\d+)*/g, '<source>').trim();
}

function where(constructPath: string): { stack: string; resource: string } {
  const [stack, ...rest] = constructPath.replace(/^\//, '').split('/');
  return { stack: stack ?? '', resource: rest.join('/') };
}
