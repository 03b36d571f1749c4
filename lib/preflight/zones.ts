import { AvailabilityZone, DescribeAvailabilityZonesCommand, DescribeSubnetsCommand, DescribeVpcEndpointServicesCommand } from '@aws-sdk/client-ec2';
import { at, list, num, referencedIds, str } from '../report/json';
import { PreflightContext, RegionalStack, byRegion, resolveString, resourcesOf } from './context';
import { PreflightProblem, absentOn, read } from './problem';

/** A subnet of a template and the zone it lands in. */
interface PlacedSubnet {
  readonly stack: RegionalStack;
  readonly logicalId: string;
  readonly zone: AvailabilityZone;
}

/**
 * Each template subnet lands in an available zone the account may use, and every interface
 * endpoint's service is offered in its subnets' zones: EC2 DescribeAvailabilityZones,
 * DescribeSubnets (default subnets decide what Fn::GetAZs returns) and DescribeVpcEndpointServices.
 */
export async function checkZones(ctx: PreflightContext): Promise<PreflightProblem[]> {
  const problems: PreflightProblem[] = [];
  for (const [region, stacks] of byRegion(ctx.stacks)) {
    const subnets = resourcesOf(stacks, 'AWS::EC2::Subnet');
    if (subnets.length === 0) continue;
    const ec2 = ctx.clients.ec2(region);
    const zonesRead = await read(region, 'availability-zones', 'ec2:DescribeAvailabilityZones', () => ec2.send(new DescribeAvailabilityZonesCommand({ AllAvailabilityZones: true })));
    if (!zonesRead.ok) {
      problems.push(zonesRead.problem);
      continue;
    }
    const zones = zonesRead.value.AvailabilityZones ?? [];
    const getAzs = await zonesOfGetAzs(ctx, region, zones, problems);
    const placed = new Map<string, PlacedSubnet>();
    for (const { stack, logicalId, resource } of subnets) {
      const where = placement(at(resource.Properties, 'AvailabilityZoneId'), at(resource.Properties, 'AvailabilityZone'), zones, getAzs);
      const subnet = `subnet ${logicalId} of ${stack.stackName}`;
      if (!where) continue; // a zone computed at deploy time cannot be checked before it
      if ('unresolved' in where) {
        problems.push({ region, check: 'availability-zones', found: `${subnet} in ${where.unresolved}`, expected: 'a zone of the region that is available to the account', fix: 'pin the subnets to zones that DescribeAvailabilityZones lists in the region' });
        continue;
      }
      const z = where.zone;
      if (z.State !== 'available' || z.OptInStatus === 'not-opted-in') {
        problems.push({ region, check: 'availability-zones', found: `${subnet} in ${z.ZoneId} (${z.ZoneName}), ${z.OptInStatus === 'not-opted-in' ? 'not opted in' : `state ${z.State}`}`, expected: 'an available zone', fix: z.OptInStatus === 'not-opted-in' ? `opt in to ${z.GroupName} or pin another zone` : 'pin another zone' });
        continue;
      }
      placed.set(`${stack.stackName}/${logicalId}`, { stack, logicalId, zone: z });
    }
    problems.push(...(await checkEndpointServices(ctx, region, stacks, placed)));
  }
  return problems;
}

async function checkEndpointServices(ctx: PreflightContext, region: string, stacks: readonly RegionalStack[], placed: ReadonlyMap<string, PlacedSubnet>): Promise<PreflightProblem[]> {
  const problems: PreflightProblem[] = [];
  const services = new Map<string, Promise<Awaited<ReturnType<typeof describeService>>>>();
  for (const { stack, logicalId, resource } of resourcesOf(stacks, 'AWS::EC2::VPCEndpoint')) {
    if (at(resource.Properties, 'VpcEndpointType') !== 'Interface') continue;
    const serviceName = resolveString(at(resource.Properties, 'ServiceName'), ctx, region);
    if (!serviceName) continue;
    if (!services.has(serviceName)) services.set(serviceName, describeService(ctx, region, serviceName));
    const answer = await services.get(serviceName)!;
    if (!answer.ok) {
      if (!problems.includes(answer.problem)) problems.push(answer.problem);
      continue;
    }
    const service = answer.value;
    if (!service) {
      problems.push({ region, check: 'endpoint-services', found: `no endpoint service ${serviceName} (endpoint ${logicalId} of ${stack.stackName})`, expected: 'a service offered in the region', fix: 'remove the endpoint or deploy the stack to a region that offers the service' });
      continue;
    }
    const offered = new Set([...(service.AvailabilityZoneIds ?? []), ...(service.AvailabilityZones ?? [])]);
    for (const id of list(at(resource.Properties, 'SubnetIds')).flatMap(referencedIds)) {
      const subnet = placed.get(`${stack.stackName}/${id}`);
      if (!subnet || offered.has(subnet.zone.ZoneId!) || offered.has(subnet.zone.ZoneName!)) continue;
      problems.push({
        region,
        check: 'endpoint-services',
        found: `${serviceName} not offered in ${subnet.zone.ZoneId} (${subnet.zone.ZoneName}), the zone of subnet ${id} of ${stack.stackName}`,
        expected: `its subnets in zones the service offers: ${[...(service.AvailabilityZoneIds ?? service.AvailabilityZones ?? [])].sort().join(', ')}`,
        fix: 'pin the subnets to zone ids the service offers',
      });
    }
  }
  return problems;
}

function describeService(ctx: PreflightContext, region: string, serviceName: string) {
  return read(region, 'endpoint-services', 'ec2:DescribeVpcEndpointServices', () =>
    ctx.clients
      .ec2(region)
      .send(new DescribeVpcEndpointServicesCommand({ ServiceNames: [serviceName] }))
      .then((out) => out.ServiceDetails?.find((d) => d.ServiceName === serviceName))
      .catch(absentOn('InvalidServiceName')),
  );
}

/**
 * What `Fn::GetAZs` gives in this account: the available default zones by name, only those with
 * a default subnet when any has one (CloudFormation's documented rule).
 */
async function zonesOfGetAzs(ctx: PreflightContext, region: string, zones: readonly AvailabilityZone[], problems: PreflightProblem[]): Promise<AvailabilityZone[]> {
  const usable = zones
    .filter((z) => z.ZoneType === 'availability-zone' && z.State === 'available' && z.OptInStatus === 'opt-in-not-required')
    .sort((a, b) => (a.ZoneName! < b.ZoneName! ? -1 : 1));
  const defaults = await read(region, 'availability-zones', 'ec2:DescribeSubnets', () =>
    ctx.clients.ec2(region).send(new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] })),
  );
  if (!defaults.ok) {
    problems.push(defaults.problem);
    return usable;
  }
  const withDefault = new Set((defaults.value.Subnets ?? []).map((s) => s.AvailabilityZone));
  const narrowed = usable.filter((z) => withDefault.has(z.ZoneName));
  return narrowed.length > 0 ? narrowed : usable;
}

// A subnet's zone: AvailabilityZoneId, else AvailabilityZone by name or as Fn::Select over Fn::GetAZs.
function placement(zoneId: unknown, zoneName: unknown, zones: readonly AvailabilityZone[], getAzs: readonly AvailabilityZone[]): { zone: AvailabilityZone } | { unresolved: string } | undefined {
  const byId = str(zoneId);
  if (byId) return found(zones.find((z) => z.ZoneId === byId), `zone id ${byId}, which the region does not have`);
  const byName = str(zoneName);
  if (byName) return found(zones.find((z) => z.ZoneName === byName), `zone ${byName}, which the region does not have`);
  const index = num(at(zoneName, 'Fn::Select', 0));
  if (index !== undefined && at(zoneName, 'Fn::Select', 1, 'Fn::GetAZs') !== undefined) {
    return found(getAzs[index], `zone #${index + 1} of Fn::GetAZs, but the region gives the account ${getAzs.length}`);
  }
  return undefined;
}

function found(zone: AvailabilityZone | undefined, otherwise: string): { zone: AvailabilityZone } | { unresolved: string } {
  return zone ? { zone } : { unresolved: otherwise };
}
