import { Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';

/** Concurrent executions Lambda keeps unreserved in each region of an account. */
export const LAMBDA_MIN_UNRESERVED_CONCURRENCY = 100;

/** What the functions of one region reserve. */
export interface RegionReservation {
  /** The region, or `unknown (<stack>)` for a region-agnostic stack. */
  readonly region: string;
  /** Functions in the region with reserved concurrency. */
  readonly functions: number;
  /** Concurrent executions they reserve together. */
  readonly reserved: number;
}

/**
 * Sums the reserved concurrency of every Lambda function under `scope` (an App, Stage or
 * Stack), by region, from the built constructs: the numbers the templates will carry.
 * Regions whose functions reserve nothing are left out.
 */
export function reservedConcurrencyByRegion(scope: IConstruct): RegionReservation[] {
  const byRegion = new Map<string, { functions: number; reserved: number }>();
  for (const node of scope.node.findAll()) {
    if (!(node instanceof lambda.CfnFunction)) continue;
    const stack = Stack.of(node);
    const reserved = stack.resolve(node.reservedConcurrentExecutions) as unknown;
    if (reserved === undefined) continue;
    if (typeof reserved !== 'number') throw new Error(`${node.node.path}: found reserved concurrency that is not a number at synthesis; expected a number`);
    const region = Token.isUnresolved(stack.region) ? `unknown (${stack.stackName})` : stack.region;
    const sum = byRegion.get(region) ?? { functions: 0, reserved: 0 };
    byRegion.set(region, { functions: sum.functions + 1, reserved: sum.reserved + reserved });
  }
  return [...byRegion.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([region, sum]) => ({ region, ...sum }));
}

/** One line per region: what its functions reserve, and the account concurrency limit that needs. */
export function describeReservations(reservations: readonly RegionReservation[]): string[] {
  return reservations.map(
    (r) =>
      `reserved concurrency in ${r.region}: ${r.functions === 1 ? '1 function reserves' : `${r.functions} functions reserve`} ${r.reserved} concurrent executions; ` +
      `the account must keep ${LAMBDA_MIN_UNRESERVED_CONCURRENCY} unreserved, so its Lambda concurrency limit there must be at least ` +
      `${r.reserved + LAMBDA_MIN_UNRESERVED_CONCURRENCY}`,
  );
}
