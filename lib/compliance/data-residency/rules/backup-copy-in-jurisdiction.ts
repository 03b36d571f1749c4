import { NagRuleCompliance } from 'cdk-nag';
import { defineRule, list } from '../../rule-pack';
import { destinationFindings } from '../checks';

/** AWS Backup copies recovery points only to vaults inside the realm's jurisdiction. */
export const BackupCopyInJurisdiction = defineRule({
  name: 'BackupCopyInJurisdiction',
  resourceTypes: ['AWS::Backup::BackupPlan'],
  info: "The backup plan copies recovery points to a vault outside the realm's jurisdiction, or to one whose region is not known.",
  explanation: 'A copy action moves a full recovery point (all the data of the backed-up store) into the destination vault.',
  check: (view) => {
    if (!view.facts.jurisdiction) return NagRuleCompliance.NOT_APPLICABLE;
    const vaults = list(view.props.BackupPlan?.BackupPlanRule).flatMap((rule) => list(rule?.CopyActions).map((a) => a?.DestinationBackupVaultArn));
    return destinationFindings(vaults, view, 'Vault');
  },
});
