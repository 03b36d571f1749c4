import { ListConflictingAliasesCommand, ListDistributionsCommand } from '@aws-sdk/client-cloudfront';
import type { DistributionSummary } from '@aws-sdk/client-cloudfront';
import { at, list, referencedIds, str } from '../report/json';
import { PreflightContext, resourcesOf } from './context';
import { EDGE_REGION } from '../../constructs/edge-router/edge-region';
import { PreflightProblem, Read, read } from './problem';

/**
 * CloudFront prerequisites: a distribution whose certificate is in its own stack deploys from
 * us-east-1 (where CloudFront takes ACM certificates from), and no other distribution holds its
 * aliases: CloudFront ListDistributions, and ListConflictingAliases once the distribution exists.
 * That us-east-1 is bootstrapped and the certificate's name is inside its zone are the
 * bootstrap and hosted-zone checks' findings.
 */
export async function checkEdge(ctx: PreflightContext): Promise<PreflightProblem[]> {
  const problems: PreflightProblem[] = [];
  const distributions = resourcesOf(ctx.stacks, 'AWS::CloudFront::Distribution');
  let others: Read<DistributionSummary[]> | undefined;
  for (const { stack, logicalId, resource } of distributions) {
    const config = at(resource.Properties, 'DistributionConfig');
    const certificateIds = referencedIds(at(config, 'ViewerCertificate', 'AcmCertificateArn'));
    if (certificateIds.some((id) => stack.resources[id]?.Type === 'AWS::CertificateManager::Certificate') && stack.region !== EDGE_REGION) {
      problems.push({ region: stack.region, check: 'edge', found: `distribution ${logicalId} of ${stack.stackName} with its certificate in ${stack.region}`, expected: `the stack in ${EDGE_REGION}, where CloudFront reads ACM certificates`, fix: `deploy ${stack.stackName} to ${EDGE_REGION}` });
    }
    const aliases = list(at(config, 'Aliases')).flatMap((a) => str(a)?.toLowerCase() ?? []);
    if (aliases.length === 0) continue;
    const deployed = await ctx.deployed(stack, 'edge');
    if (!deployed.ok) {
      problems.push(deployed.problem);
      continue;
    }
    const own = deployed.value.exists ? deployed.value.physicalIds.get(logicalId) : undefined;
    others ??= await read('global', 'edge', 'cloudfront:ListDistributions', () => listDistributions(ctx));
    if (!others.ok) {
      problems.push(others.problem);
      continue;
    }
    for (const alias of aliases) {
      const holder = others.value.find((d) => d.Id !== own && (d.Aliases?.Items ?? []).some((a) => a.toLowerCase() === alias));
      if (holder) {
        problems.push({ region: 'global', check: 'edge', found: `distribution ${holder.Id} (${holder.DomainName}) already holding alias ${alias}`, expected: `${alias} free for ${stack.stackName}`, fix: `remove ${alias} from distribution ${holder.Id}, or delete it if it is a leftover` });
        continue;
      }
      if (!own) continue; // ListConflictingAliases needs a distribution of ours to ask about
      const conflicts = await read('global', 'edge', 'cloudfront:ListConflictingAliases', () =>
        ctx.clients.cloudFront().send(new ListConflictingAliasesCommand({ DistributionId: own, Alias: alias })),
      );
      if (!conflicts.ok) {
        problems.push(conflicts.problem);
        continue;
      }
      const elsewhere = (conflicts.value.ConflictingAliasesList?.Items ?? []).find((c) => c.DistributionId !== own && c.Alias?.toLowerCase() === alias);
      if (elsewhere) {
        problems.push({ region: 'global', check: 'edge', found: `alias ${alias} held by distribution ${elsewhere.DistributionId} of account ${elsewhere.AccountId}`, expected: `${alias} free for ${stack.stackName}`, fix: 'have that account remove the alias, or move it with CloudFront AssociateAlias' });
      }
    }
  }
  return problems;
}

async function listDistributions(ctx: PreflightContext): Promise<DistributionSummary[]> {
  const all: DistributionSummary[] = [];
  let marker: string | undefined;
  do {
    const page = await ctx.clients.cloudFront().send(new ListDistributionsCommand({ Marker: marker }));
    all.push(...(page.DistributionList?.Items ?? []));
    marker = page.DistributionList?.IsTruncated ? page.DistributionList.NextMarker : undefined;
  } while (marker);
  return all;
}
