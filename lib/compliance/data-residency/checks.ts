import { NagRuleResult } from 'cdk-nag';
import { flatten } from '../model/flatten';
import { outside, whereIs } from '../model/places';
import { RuleView, result } from '../rule-pack';

/**
 * Findings `Region::<region>` for each region outside the stack's jurisdiction, and
 * `Region::unresolved` for one that is not a literal (a parameter, an intrinsic).
 */
export function regionFindings(regions: readonly unknown[], view: RuleView): NagRuleResult {
  const findings = new Set<string>();
  for (const value of regions) {
    const region = flatten(value, view.stack, view.model);
    if (region === '' || region.includes('⟦')) findings.add('Region::unresolved');
    else if (!view.facts.jurisdiction!.has(region)) findings.add(`Region::${region}`);
  }
  return result([...findings]);
}

/**
 * Findings `<label>::<what>::<region>` for each destination outside the stack's jurisdiction
 * or not located by the app (region `unresolved`).
 */
export function destinationFindings(destinations: readonly unknown[], view: RuleView, label: string): NagRuleResult {
  return result(outside(destinations.map((d) => whereIs(d, view)), view.facts.jurisdiction!, label));
}
