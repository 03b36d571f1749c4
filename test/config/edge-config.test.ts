import { ConfigError, parseConfig } from '../../lib/config';
import { exampleConfigJson } from '../helpers/example-config';

function problems(mutate: (c: any) => void): string[] {
  const c = exampleConfigJson();
  mutate(c);
  try {
    parseConfig(c, 'test.json');
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map((p) => `${p.path}: found ${p.found}; expected ${p.expected}`);
    throw e;
  }
  throw new Error('expected the config to be refused');
}

describe('config edge section', () => {
  it('keeps the edge access logs in the Global realm\'s region by default', () => {
    const c = exampleConfigJson();
    c.realms.Global.region = 'eu-west-1';
    delete c.edge;
    expect(parseConfig(c).edge).toEqual({ logRegion: 'eu-west-1' });
  });

  it('takes the log region the config names', () => {
    const c = exampleConfigJson();
    c.edge = { logRegion: 'eu-central-1' };
    expect(parseConfig(c).edge.logRegion).toBe('eu-central-1');
  });

  it('refuses a log region that is not a commercial AWS region, and unknown edge settings', () => {
    expect(problems((c) => (c.edge = { logRegion: 'eu-moon-1' }))).toEqual(['$.edge.logRegion: found "eu-moon-1"; expected a commercial AWS region such as eu-central-1']);
    expect(problems((c) => (c.edge = { logRegion: 42 }))).toEqual(['$.edge.logRegion: found 42; expected an AWS region name as a string']);
    expect(problems((c) => (c.edge = { logBucket: 'mine' }))).toEqual([expect.stringMatching(/^\$\.edge(\.logBucket)?: found .*; expected/)]);
  });
});
