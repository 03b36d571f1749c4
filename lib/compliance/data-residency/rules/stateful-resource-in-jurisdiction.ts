import { NagRuleCompliance } from 'cdk-nag';
import { defineRule } from '../../rule-pack';
import { STATEFUL_TYPES } from '../../stateful-types';

/** A store rests in its stack's region, which must lie in the jurisdiction of every realm of the stack. */
export const StatefulResourceInJurisdiction = defineRule({
  name: 'StatefulResourceInJurisdiction',
  resourceTypes: [...STATEFUL_TYPES],
  info: "The resource stores data in a stack whose region is unset or outside its realms' jurisdiction.",
  explanation:
    "A realm's data may rest only in the AWS regions of its jurisdiction (for a stack shared by several realms, in the regions " +
    'common to all of them). An environment-agnostic stack has no region to check, so it is refused: set env.region.',
  check: ({ facts }) => {
    if (!facts.jurisdiction) return NagRuleCompliance.NOT_APPLICABLE;
    return facts.region !== undefined && facts.jurisdiction.has(facts.region) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
});
