import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AppFunction } from '../../constructs/app-function';
import { parseConfig } from '../../lib/config';
import { describeReservations, reservedConcurrencyByRegion } from '../../lib/stacks/reserved-concurrency';
import { addResidencyStacks } from '../../lib/stacks/residency-app';
import { NO_BUNDLING } from '../helpers/example-app';
import { exampleConfigJson } from '../helpers/example-config';

/** The example app (every realm and edge stack), with `functions` set as given. */
function build(functions?: object) {
  const json = exampleConfigJson();
  if (functions) json.functions = functions;
  const app = new App({ context: NO_BUNDLING });
  const built = addResidencyStacks(app, parseConfig(json));
  const stacks: Stack[] = [...built.realmStacks, built.edgeStack, built.edgeLogStack];
  return { app, stacks, templates: new Map(stacks.map((s) => [s, Template.fromStack(s)])) };
}

const reservationsIn = (t: Template) =>
  Object.values(t.findResources('AWS::Lambda::Function')).map((f) => f.Properties.ReservedConcurrentExecutions as number | undefined);

describe('functions.reservedConcurrency', () => {
  it('is off by default: no function of any stack reserves concurrency, and nothing is reported', () => {
    const { app, templates } = build();
    const all = [...templates.values()].flatMap(reservationsIn);
    expect(all.length).toBeGreaterThan(5);
    expect(all.filter((r) => r !== undefined)).toEqual([]);
    expect(reservedConcurrencyByRegion(app)).toEqual([]);
  });

  describe('when set', () => {
    const { app, stacks, templates } = build({ reservedConcurrency: 7 });

    it('reaches every AppFunction of the realm and edge stacks', () => {
      const fns = app.node.findAll().filter((c): c is AppFunction => c instanceof AppFunction);
      expect(fns.some((f) => Stack.of(f) === stacks.find((s) => s.stackName.endsWith('-Edge')))).toBe(true);
      for (const fn of fns) {
        const stack = Stack.of(fn);
        const l1 = templates.get(stack)!.toJSON().Resources[stack.getLogicalId(fn.function.node.defaultChild as lambda.CfnFunction)];
        expect([fn.node.path, l1.Properties.ReservedConcurrentExecutions]).toEqual([fn.node.path, 7]);
      }
    });

    it('totals per region what the templates reserve, stacks of one region together', () => {
      const expected = new Map<string, { functions: number; reserved: number }>();
      for (const [stack, t] of templates) {
        const reserved = reservationsIn(t).filter((r): r is number => r !== undefined);
        if (reserved.length === 0) continue;
        const sum = expected.get(stack.region) ?? { functions: 0, reserved: 0 };
        expected.set(stack.region, { functions: sum.functions + reserved.length, reserved: sum.reserved + reserved.reduce((a, b) => a + b, 0) });
      }
      const totals = reservedConcurrencyByRegion(app);
      expect(totals).toEqual([...expected].sort(([a], [b]) => a.localeCompare(b)).map(([region, s]) => ({ region, ...s })));
      // us-east-1 holds the Global realm's stack and the edge's directory writer.
      const global = stacks.find((s) => s.stackName.endsWith('-Global'))!;
      const east = totals.find((r) => r.region === 'us-east-1')!;
      expect(east.functions).toBe(reservationsIn(templates.get(global)!).filter((r) => r !== undefined).length + 1);
      expect(east.reserved).toBe(east.functions * 7);
    });
  });

  it('prints one line per region with the functions, the total and the limit the account needs', () => {
    expect(describeReservations([
      { region: 'eu-central-1', functions: 6, reserved: 42 },
      { region: 'us-east-1', functions: 1, reserved: 5 },
    ])).toEqual([
      'reserved concurrency in eu-central-1: 6 functions reserve 42 concurrent executions; the account must keep 100 unreserved, so its Lambda concurrency limit there must be at least 142',
      'reserved concurrency in us-east-1: 1 function reserves 5 concurrent executions; the account must keep 100 unreserved, so its Lambda concurrency limit there must be at least 105',
    ]);
  });
});
