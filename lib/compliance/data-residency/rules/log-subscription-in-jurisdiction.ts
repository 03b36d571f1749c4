import { NagRuleCompliance } from 'cdk-nag';
import { defineRule, list } from '../../rule-pack';
import { destinationFindings } from '../checks';

/**
 * Log events leave only for destinations inside the realm's jurisdiction: subscription
 * filters, cross-account log destinations, log deliveries and account-level subscription policies.
 */
export const LogSubscriptionInJurisdiction = defineRule({
  name: 'LogSubscriptionInJurisdiction',
  resourceTypes: ['AWS::Logs::SubscriptionFilter', 'AWS::Logs::Destination', 'AWS::Logs::DeliveryDestination', 'AWS::Logs::AccountPolicy'],
  info: "Log events are sent to a destination outside the realm's jurisdiction, or to one whose region is not known.",
  explanation: 'Logs hold request metadata and, by mistake, tenant data; a subscription or delivery copies every event to its destination.',
  check: (view) => {
    if (!view.facts.jurisdiction) return NagRuleCompliance.NOT_APPLICABLE;
    const p = view.props;
    switch (view.resource.Type) {
      case 'AWS::Logs::SubscriptionFilter':
        return destinationFindings([p.DestinationArn], view, 'Destination');
      case 'AWS::Logs::Destination':
        return destinationFindings([p.TargetArn], view, 'Destination');
      case 'AWS::Logs::DeliveryDestination':
        return p.DestinationResourceArn === undefined ? NagRuleCompliance.COMPLIANT : destinationFindings([p.DestinationResourceArn], view, 'Destination');
      default:
        return p.PolicyType === 'SUBSCRIPTION_FILTER_POLICY' ? destinationFindings(policyDestinations(p.PolicyDocument), view, 'Destination') : NagRuleCompliance.COMPLIANT;
    }
  },
});

// An account policy's document is a JSON string: {"DestinationArn": ..., ...}.
function policyDestinations(document: unknown): unknown[] {
  if (typeof document !== 'string') return [document];
  try {
    return list([JSON.parse(document)?.DestinationArn]);
  } catch {
    return [document];
  }
}
