import { NagRuleCompliance } from 'cdk-nag';
import { outside, storesNamedIn } from '../../model/places';
import { defineRule, list, result } from '../../rule-pack';

/** An IAM policy in a realm's stack allows access to no data store outside the realm's jurisdiction. */
export const IAMPolicyInJurisdiction = defineRule({
  name: 'IAMPolicyInJurisdiction',
  resourceTypes: ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group'],
  info: "An IAM policy allows access to a data store outside the realm's jurisdiction, or to one whose region is not known.",
  explanation:
    "The roles of a realm's stack act on the realm's data; a statement that allows them to act on another region's store (an ARN with " +
    'another region or a wildcard region, a reference to a store in another region, a bucket outside this app) lets data leave. ' +
    "A bare '*' names no store (AwsSolutions-IAM5 governs wildcards).",
  check: (view) => {
    if (!view.facts.jurisdiction) return NagRuleCompliance.NOT_APPLICABLE;
    const documents = view.resource.Type.endsWith('Policy') ? [view.props.PolicyDocument] : list(view.props.Policies).map((p) => p?.PolicyDocument);
    const resources = documents
      .flatMap((d) => list(d?.Statement))
      .filter((s) => s?.Effect === 'Allow')
      .flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : s.Resource === undefined ? [] : [s.Resource]));
    const places = resources.filter((r) => r !== '*').flatMap((r) => storesNamedIn(r, view, false));
    return result(outside(places, view.facts.jurisdiction, 'Resource'));
  },
});
