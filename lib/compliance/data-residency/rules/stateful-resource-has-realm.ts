import { NagRuleCompliance } from 'cdk-nag';
import { defineRule } from '../../rule-pack';
import { STATEFUL_TYPES } from '../../stateful-types';

/** A stack that stores data records its realm (`tagRealm`), or it cannot be checked. */
export const StatefulResourceHasRealm = defineRule({
  name: 'StatefulResourceHasRealm',
  resourceTypes: [...STATEFUL_TYPES],
  info: 'The resource stores data in a stack that records no realm, so where its data may rest cannot be checked.',
  explanation:
    'Call tagRealm(stack, realm) for every realm whose data the stack holds. A stack that holds only metadata which must be ' +
    'global declares it with tagMetadataOnly(stack, reason), which acknowledges this rule on each of its stores with the reason.',
  check: ({ facts }) => (facts.realms.length > 0 ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT),
});
