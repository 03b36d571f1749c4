import type { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { startingEarly, StartsEarly } from '../../lib/compliance/start-early';
import { startWorkers } from '../../lib/compliance/sync-workers';

const report = (ruleName: string): PolicyValidationPluginReport => ({
  success: false,
  violations: [{ ruleName, description: ruleName, severity: 'error', violatingResources: [] }],
});
const context = (...templatePaths: string[]) => ({ templatePaths }) as IPolicyValidationContext;

// A pack that runs in this thread, and one that can start early; both log what they do.
function plugins(log: string[]) {
  return startingEarly(unwrapped(log));
}

function unwrapped(log: string[]): [IPolicyValidationPlugin, StartsEarly] {
  const first: IPolicyValidationPlugin = { name: 'First', validate: (c) => (log.push(`First ${c.templatePaths}`), report('first')) };
  const early: StartsEarly = {
    name: 'Early',
    start: (c) => {
      log.push(`start Early ${c.templatePaths}`);
      return () => (log.push(`finish Early ${c.templatePaths}`), report(`early ${c.templatePaths}`));
    },
    validate: (c) => early.start(c)(),
  };
  return [first, early];
}

describe('startingEarly', () => {
  it('starts a plugin that can start early when the first plugin validates, and at its turn waits for that start', () => {
    const log: string[] = [];
    const [first, early] = plugins(log);
    expect(first!.validate(context('a.json'))).toEqual(report('first'));
    expect(log).toEqual(['start Early a.json', 'First a.json']);
    expect(early!.validate(context('a.json'))).toEqual(report('early a.json'));
    expect(log).toEqual(['start Early a.json', 'First a.json', 'finish Early a.json']);
  });

  it('validates afresh a plugin called with other templates than the first plugin was', () => {
    const log: string[] = [];
    const [first, early] = plugins(log);
    first!.validate(context('a.json'));
    expect(early!.validate(context('b.json'))).toEqual(report('early b.json'));
    expect(log).toEqual(['start Early a.json', 'First a.json', 'start Early b.json', 'finish Early b.json']);
  });

  it('starts again for each validation of an assembly, and validates a plugin called on its own', () => {
    const log: string[] = [];
    const [first, early] = plugins(log);
    for (const t of ['a.json', 'b.json']) {
      first!.validate(context(t));
      early!.validate(context(t));
    }
    expect(log.filter((l) => l.startsWith('finish'))).toEqual(['finish Early a.json', 'finish Early b.json']);
    // No first plugin before it: its own validate.
    expect(early!.validate(context('c.json'))).toEqual(report('early c.json'));
  });
});

describe('a plugin whose start throws', () => {
  it("fails at its own turn, leaving the first plugin's report and the others' starts alone", () => {
    const log: string[] = [];
    const broken: StartsEarly = {
      name: 'Broken',
      start: () => {
        throw new Error('template unreadable');
      },
      validate: (c) => broken.start(c)(),
    };
    const [first, failing, later] = startingEarly([unwrapped(log)[0], broken, unwrapped(log)[1]]);
    expect(first!.validate(context('a.json'))).toEqual(report('first'));
    expect(() => failing!.validate(context('a.json'))).toThrow('template unreadable');
    expect(later!.validate(context('a.json'))).toEqual(report('early a.json'));
    expect(log).toEqual(['start Early a.json', 'First a.json', 'finish Early a.json']);
  });
});

describe('startWorkers', () => {
  it('returns while the workers run, so this thread works beside them', () => {
    // The worker waits for this thread to flag it after the start returned; a start that
    // blocked until the workers finished would never return.
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const wait = startWorkers<string>('the test worker', `Atomics.wait(payload.flag, 0, 0, 60000); return 'flagged ' + Atomics.load(payload.flag, 0);`, [{ flag }]);
    Atomics.store(flag, 0, 7);
    Atomics.notify(flag, 0);
    expect(wait()).toEqual(['flagged 7']);
    expect(wait()).toEqual(['flagged 7']);
  });

  it("fails the wait with the worker's error", () => {
    const wait = startWorkers('the test worker', `throw new Error('no rules found');`, [{}]);
    expect(() => wait()).toThrow(/the test worker failed: Error: no rules found/);
  });
});
