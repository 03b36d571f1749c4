import { NagRuleCompliance } from 'cdk-nag';
import { outside, storesNamedIn } from '../../model/places';
import { defineRule, result } from '../../rule-pack';

/** A function's environment names no data store outside the realm's jurisdiction. */
export const LambdaEnvironmentInJurisdiction = defineRule({
  name: 'LambdaEnvironmentInJurisdiction',
  resourceTypes: ['AWS::Lambda::Function'],
  info: "A Lambda environment variable names a data store outside the realm's jurisdiction, or one whose region is not known.",
  explanation:
    "A function reads and writes the stores its environment names: an ARN with another region, a reference to another region's " +
    'store, or the table or bucket name of a stack in another region sends tenant data there. Values that cannot be located are refused.',
  check: (view) => {
    if (!view.facts.jurisdiction) return NagRuleCompliance.NOT_APPLICABLE;
    const variables = view.props.Environment?.Variables ?? {};
    const findings = Object.entries<unknown>(variables).flatMap(([name, value]) =>
      outside(storesNamedIn(value, view, true), view.facts.jurisdiction!, 'Variable').map((f) => f.replace(/^Variable::/, `Variable::${name}::`)),
    );
    return result(findings);
  },
});
