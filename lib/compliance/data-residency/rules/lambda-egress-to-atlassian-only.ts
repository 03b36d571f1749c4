import { NagRuleCompliance } from 'cdk-nag';
import { isAtlassianApiHost } from '../../../../runtime/atlassian-api/egress-target';
import { ENV } from '../../../../runtime/lambda/environment';
import { defineRule, result } from '../../rule-pack';

/**
 * Records the one flow of tenant data that leaves a realm on purpose: an egress function's
 * calls (`RESIDENCY_EGRESS_HOSTS`), one finding `Egress::<host>` per host it reaches, to be
 * acknowledged with what bounds it. A host that is not an Atlassian API host is found as
 * `Egress::<host>::not-atlassian`, and a list the app cannot read as `Egress::unresolved`.
 */
export const LambdaEgressToAtlassianOnly = defineRule({
  name: 'LambdaEgressToAtlassianOnly',
  resourceTypes: ['AWS::Lambda::Function'],
  info: 'A function of a realm sends requests out of the region (its egress hosts); only calls to Atlassian API hosts, acknowledged, are expected.',
  explanation:
    "Calls to the tenant's Atlassian site carry tenant data out of the realm's region to the customer's own product. The finding " +
    'records that flow so a reviewer acknowledges it with what bounds it; a host outside Atlassian\'s API hosts is a flow to a third party.',
  check: (view) => {
    if (!view.facts.jurisdiction) return NagRuleCompliance.NOT_APPLICABLE;
    const hosts: unknown = view.props.Environment?.Variables?.[ENV.egressHosts];
    if (hosts === undefined) return NagRuleCompliance.NOT_APPLICABLE;
    let list: unknown;
    try {
      list = typeof hosts === 'string' ? JSON.parse(hosts) : undefined;
    } catch {
      list = undefined;
    }
    if (!Array.isArray(list) || list.length === 0 || !list.every((h) => typeof h === 'string')) return result(['Egress::unresolved']);
    return result(list.map((h: string) => (isAtlassianApiHost(h.replace(/^\*\./, 'site.')) ? `Egress::${h}` : `Egress::${h}::not-atlassian`)));
  },
});
