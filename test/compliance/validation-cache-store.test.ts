import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CACHE_ENTRIES_PER_KIND, VALIDATION_CACHE_ENV, cached } from '../../lib/compliance/validation-cache';

// The store under the validation cache: what is kept, what is recomputed, and that it stays bounded.
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'residency-cache-store-'));
  process.env[VALIDATION_CACHE_ENV] = dir;
});
afterEach(() => {
  delete process.env[VALIDATION_CACHE_ENV];
  rmSync(dir, { recursive: true, force: true });
});

const counted = () => {
  let calls = 0;
  return { compute: (v: unknown) => () => (calls++, v), calls: () => calls };
};

it('computes once, then answers from the store; a damaged entry is computed again', () => {
  const c = counted();
  expect(cached('kind', 'k1', c.compute({ a: 1 }))).toEqual({ a: 1 });
  expect(cached('kind', 'k1', c.compute({ a: 2 }))).toEqual({ a: 1 });
  expect(c.calls()).toBe(1);
  writeFileSync(join(dir, 'kind', 'k1.json'), '{ "value": ');
  expect(cached('kind', 'k1', c.compute({ a: 3 }))).toEqual({ a: 3 });
  expect(c.calls()).toBe(2);
});

it('keeps each kind bounded, dropping the entries used longest ago', () => {
  const folder = join(dir, 'kind');
  for (let i = 0; i < CACHE_ENTRIES_PER_KIND; i++) cached('kind', `k${i}`, () => i);
  // Entry k0 is the oldest by far, but used just now: it stays; k1 is dropped with the others.
  const old = new Date(Date.now() - 86_400_000);
  for (let i = 0; i < CACHE_ENTRIES_PER_KIND; i++) utimesSync(join(folder, `k${i}.json`), old, new Date(old.getTime() + i));
  expect(cached('kind', 'k0', () => -1)).toBe(0);
  expect(readdirSync(folder)).toHaveLength(CACHE_ENTRIES_PER_KIND);
  cached('kind', 'new', () => 'new'); // one past the bound
  const kept = readdirSync(folder);
  expect(kept).toHaveLength(Math.floor(CACHE_ENTRIES_PER_KIND * 0.8));
  expect(kept).toEqual(expect.arrayContaining(['k0.json', 'new.json', `k${CACHE_ENTRIES_PER_KIND - 1}.json`]));
  expect(kept).not.toContain('k1.json');
  const c = counted();
  expect(cached('kind', 'k1', c.compute('again'))).toBe('again');
  expect(c.calls()).toBe(1);
});
