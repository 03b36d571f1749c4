import { ObjectStore } from '../../../runtime/migration';
import { request, TwoRealms } from './two-realms';

// A step is recorded (and its lease renewed) when it ends, so each must fit in the lease
// however large the tenant: no step reads more than `parallelism` objects of either side.

jest.setTimeout(120_000);

let realms: TwoRealms;
beforeAll(async () => {
  realms = await TwoRealms.start();
});
afterAll(() => realms.close());

function countingGets(store: ObjectStore): { reads: number } {
  const counter = { reads: 0 };
  const get = store.get.bind(store);
  store.get = (key) => {
    counter.reads++;
    return get(key);
  };
  return counter;
}

describe('the size of a step', () => {
  it('copies and verifies objects at most `parallelism` a step, on each side, with pages of many more', async () => {
    const t = await realms.seed('step-size', 4, 11);
    const source = countingGets(realms.source.objects);
    const target = countingGets(realms.target.objects);
    const engine = realms.engine({ batchSize: 50, parallelism: 3, batchesPerPoll: 1 });
    await engine.schedule(t.clientKey, request('m-step-size'));
    const perCall: Array<[number, number]> = [];
    const counted = async <T>(call: () => Promise<T>): Promise<T> => {
      const [s, g] = [source.reads, target.reads];
      const out = await call();
      perCall.push([source.reads - s, target.reads - g]);
      return out;
    };
    await counted(() => engine.start(t.clientKey, request('m-step-size')));
    for (let i = 0; i < 100; i++) {
      if ((await counted(() => engine.status(t.clientKey, 'm-step-size'))).status === 'ready-to-commit') break;
    }
    expect((await engine.status(t.clientKey, 'm-step-size')).status).toBe('ready-to-commit');
    // Every object read once to copy and once a side to verify, never more than 3 a call.
    expect(source.reads).toBe(22);
    expect(target.reads).toBe(11);
    expect(Math.max(...perCall.map(([s, g]) => Math.max(s, g)))).toBe(3);
  });
});
