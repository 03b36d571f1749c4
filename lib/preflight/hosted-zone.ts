import { GetHostedZoneCommand, ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { at, list, str } from '../report/json';
import { PreflightContext, RegionalStack, resourcesOf } from './context';
import { PreflightProblem, absentOn, read } from './problem';

/** The CAA issuer domains ACM issues under (ACM user guide, "CAA records"). */
export const AMAZON_CAA_ISSUERS = ['amazon.com', 'amazontrust.com', 'awstrust.com', 'amazonaws.com'];

/** A DNS name the templates put into a hosted zone: a record, or a certificate's DNS validation. */
interface ZoneUse {
  readonly stack: RegionalStack;
  readonly zoneId: string;
  readonly name: string;
  /** A certificate's domain: ACM must be allowed to issue for it. */
  readonly certificate: boolean;
}

/**
 * Every hosted zone the templates use exists, is public, holds each name put into it, and its CAA
 * records let ACM issue each certificate: Route 53 GetHostedZone and ListResourceRecordSets.
 */
export async function checkHostedZones(ctx: PreflightContext): Promise<PreflightProblem[]> {
  const problems: PreflightProblem[] = [];
  const uses = zoneUses(ctx.stacks);
  const route53 = ctx.clients.route53();
  for (const zoneId of new Set(uses.map((u) => u.zoneId))) {
    const users = uses.filter((u) => u.zoneId === zoneId);
    const stacks = [...new Set(users.map((u) => u.stack.stackName))].join(', ');
    const answer = await read('global', 'hosted-zone', 'route53:GetHostedZone', () =>
      route53.send(new GetHostedZoneCommand({ Id: zoneId })).catch(absentOn('NoSuchHostedZone')),
    );
    if (!answer.ok) {
      problems.push(answer.problem);
      continue;
    }
    const zone = answer.value?.HostedZone;
    if (!zone) {
      problems.push({ region: 'global', check: 'hosted-zone', found: `no hosted zone ${zoneId}`, expected: `the public zone ${stacks} use`, fix: 'create it, or set domain.hostedZone.id to the zone that serves the domain, and synthesize again' });
      continue;
    }
    const zoneName = bare(zone.Name ?? '');
    if (zone.Config?.PrivateZone) {
      problems.push({ region: 'global', check: 'hosted-zone', found: `hosted zone ${zoneId} (${zoneName}) is private`, expected: 'a public zone (ACM validates and clients resolve through public DNS)', fix: 'set domain.hostedZone to the public zone of the domain, and synthesize again' });
      continue;
    }
    for (const u of users) {
      if (!within(u.name, zoneName)) {
        problems.push({ region: u.stack.region, check: 'hosted-zone', found: `${u.name} (${u.stack.stackName}) outside zone ${zoneId} (${zoneName})`, expected: `a name ending in ${zoneName}`, fix: 'use the zone that holds the domain, or a host name inside it' });
      }
    }
    for (const u of users.filter((x) => x.certificate && within(x.name, zoneName))) {
      const refusal = await caaRefusal(ctx, zoneId, zoneName, u);
      if (refusal) problems.push(refusal);
    }
  }
  return problems;
}

function zoneUses(stacks: readonly RegionalStack[]): ZoneUse[] {
  const uses: ZoneUse[] = [];
  const add = (stack: RegionalStack, zoneId: unknown, name: unknown, certificate: boolean) => {
    // A zone id or name built at deploy time cannot be checked before it.
    if (typeof zoneId === 'string' && typeof name === 'string') uses.push({ stack, zoneId: zoneId.replace(/^\/hostedzone\//, ''), name: bare(name), certificate });
  };
  for (const { stack, resource } of resourcesOf(stacks, 'AWS::Route53::RecordSet')) add(stack, at(resource.Properties, 'HostedZoneId'), at(resource.Properties, 'Name'), false);
  for (const { stack, resource } of resourcesOf(stacks, 'AWS::Route53::RecordSetGroup')) {
    for (const r of list(at(resource.Properties, 'RecordSets'))) add(stack, at(resource.Properties, 'HostedZoneId'), at(r, 'Name'), false);
  }
  for (const { stack, resource } of resourcesOf(stacks, 'AWS::CertificateManager::Certificate')) {
    for (const o of list(at(resource.Properties, 'DomainValidationOptions'))) add(stack, at(o, 'HostedZoneId'), at(o, 'DomainName'), true);
  }
  return uses;
}

// The CAA record set that governs a name is the one at the closest name from it up to the zone apex (RFC 8659).
async function caaRefusal(ctx: PreflightContext, zoneId: string, zoneName: string, u: ZoneUse): Promise<PreflightProblem | undefined> {
  const wildcard = u.name.startsWith('*.');
  let name = wildcard ? u.name.slice(2) : u.name;
  for (;;) {
    const answer = await read('global', 'hosted-zone', 'route53:ListResourceRecordSets', () =>
      ctx.clients.route53().send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordName: name, StartRecordType: 'CAA', MaxItems: 1 })),
    );
    if (!answer.ok) return answer.problem;
    const set = answer.value.ResourceRecordSets?.[0];
    if (set && set.Type === 'CAA' && bare(set.Name ?? '') === name) {
      const values = (set.ResourceRecords ?? []).flatMap((r) => str(r.Value) ?? []);
      if (caaAllowsAmazon(values, wildcard)) return undefined;
      return {
        region: u.stack.region,
        check: 'hosted-zone',
        found: `CAA records at ${name} (${values.join(', ')}) that do not allow Amazon to issue for ${u.name}`,
        expected: `an issue${wildcard ? 'wild' : ''} record for amazon.com (or amazontrust.com, awstrust.com, amazonaws.com)`,
        fix: `add the CAA record 0 issue${wildcard ? 'wild' : ''} "amazon.com" at ${name} in zone ${zoneId}`,
      };
    }
    if (name === zoneName) return undefined;
    name = name.slice(name.indexOf('.') + 1);
  }
}

/** Whether a CAA record set (Route 53 values such as `0 issue "amazon.com"`) lets ACM issue. */
export function caaAllowsAmazon(values: readonly string[], wildcard = false): boolean {
  const records = values.flatMap((v) => {
    const m = /^\s*\d+\s+(\S+)\s+"(.*)"\s*$/.exec(v);
    return m ? [{ tag: m[1]!.toLowerCase(), issuer: m[2]!.split(';')[0]!.trim().toLowerCase() }] : [];
  });
  const issueWild = records.filter((r) => r.tag === 'issuewild');
  // A wildcard name is governed by issuewild when there is one, else by issue.
  const relevant = wildcard && issueWild.length > 0 ? issueWild : records.filter((r) => r.tag === 'issue');
  return relevant.length === 0 || relevant.some((r) => AMAZON_CAA_ISSUERS.includes(r.issuer));
}

function bare(name: string): string {
  return name.toLowerCase().replace(/\.$/, '').replace(/^\\052/, '*');
}

function within(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}
