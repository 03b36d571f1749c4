import { NagRuleCompliance } from 'cdk-nag';
import { defineRule, list } from '../../rule-pack';
import { regionFindings } from '../checks';

/** Secrets Manager replicates a secret only to regions in the realm's jurisdiction. */
export const SecretReplicasInJurisdiction = defineRule({
  name: 'SecretReplicasInJurisdiction',
  resourceTypes: ['AWS::SecretsManager::Secret'],
  info: "The secret is replicated to a region outside the realm's jurisdiction, or to one not known before deployment.",
  explanation: "A replica secret is a copy of the secret's value, kept in sync in another region.",
  check: (view) => {
    if (!view.facts.jurisdiction) return NagRuleCompliance.NOT_APPLICABLE;
    return regionFindings(list(view.props.ReplicaRegions).map((r) => r?.Region), view);
  },
});
