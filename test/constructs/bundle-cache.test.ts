import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BUNDLE_CACHE_ENV, bundleCached } from '../../constructs/app-function/bundle-cache';
import { ESBUILD_OPTIONS } from '../../constructs/app-function/bundling';

// A small project (an entry, a local module, a package in node_modules, a tsconfig) bundled
// through the cache, against esbuild run afresh: every change that can change the bundle must
// make a new one, and an unchanged project must get the same bytes back.
let project: string;
let cache: string;
let n = 0;

const write = (path: string, text: string) => {
  mkdirSync(dirname(join(project, path)), { recursive: true });
  writeFileSync(join(project, path), text);
};

/** Bundles the project's entry through the cache; answers how, and the bundle's text. */
function bundle(): { how: 'cached' | 'built'; text: string } {
  const out = join(project, 'out', `${n++}`, 'index.js');
  const how = bundleCached(join(project, 'src', 'entry.ts'), ESBUILD_OPTIONS, out);
  return { how, text: readFileSync(out, 'utf8') };
}

/** The same entry bundled with the cache off. */
function fresh(): string {
  const saved = process.env[BUNDLE_CACHE_ENV];
  process.env[BUNDLE_CACHE_ENV] = 'off';
  try {
    return bundle().text;
  } finally {
    process.env[BUNDLE_CACHE_ENV] = saved;
  }
}

beforeEach(() => {
  project = mkdtempSync(join(tmpdir(), 'bundle-cache-'));
  cache = join(project, 'cache');
  process.env[BUNDLE_CACHE_ENV] = cache;
  write('tsconfig.json', '{ "compilerOptions": { "baseUrl": ".", "paths": { "@lib/*": ["src/lib/*"] } } }');
  write('src/entry.ts', "import { greet } from './lib/greet';\nimport { tag } from '@lib/tag';\nexport const handler = () => greet(tag);\n");
  write('src/lib/greet.js', "const pkg = require('pkg');\nexports.greet = (t) => pkg.hello + ' from greet.js ' + t;\n");
  write('src/lib/tag.ts', "export const tag = 'tag-one';\n");
  write('node_modules/pkg/package.json', '{ "name": "pkg", "main": "main.js" }');
  write('node_modules/pkg/main.js', "exports.hello = 'hello from main.js';\n");
  write('node_modules/pkg/other.js', "exports.hello = 'hello from other.js';\n");
});
afterEach(() => {
  delete process.env[BUNDLE_CACHE_ENV];
  rmSync(project, { recursive: true, force: true });
});

it('gives back the same bytes for an unchanged project, without bundling again', () => {
  const first = bundle();
  expect(first.how).toBe('built');
  const again = bundle();
  expect(again.how).toBe('cached');
  expect(again.text).toBe(first.text);
  expect(again.text).toBe(fresh());
  expect(again.text).toContain('hello from main.js');
});

// Each change, then: bundled again, equal to a fresh bundle, and what the change should show.
const changes: [string, () => void, string][] = [
  ['an input file changes', () => write('src/lib/tag.ts', "export const tag = 'tag-two';\n"), 'tag-two'],
  ['a .ts file appears beside the .js an import resolved to', () => write('src/lib/greet.ts', "export const greet = (t: string) => 'from greet.ts ' + t;\n"), 'from greet.ts'],
  ['a nearer copy of a package appears', () => write('src/node_modules/pkg/index.js', "exports.hello = 'hello from the nearer pkg';\n"), 'hello from the nearer pkg'],
  ['a package appears in a nearer node_modules that was already there', () => {
    write('src/node_modules/unrelated/index.js', 'exports.x = 1;\n');
    expect(bundle().how).toBe('built');
    expect(bundle().how).toBe('cached');
    write('src/node_modules/pkg/index.js', "exports.hello = 'hello from the pkg added later';\n");
  }, 'hello from the pkg added later'],
  ["a package's main field changes", () => write('node_modules/pkg/package.json', '{ "name": "pkg", "main": "other.js" }'), 'hello from other.js'],
  ['tsconfig paths change', () => {
    write('src/alt/tag.ts', "export const tag = 'tag-from-alt';\n");
    write('tsconfig.json', '{ "compilerOptions": { "baseUrl": ".", "paths": { "@lib/*": ["src/alt/*"] } } }');
  }, 'tag-from-alt'],
  ['a tsconfig it extends changes', () => {
    write('tsconfig.base.json', '{ "compilerOptions": { "baseUrl": ".", "paths": { "@lib/*": ["src/lib/*"] } } }');
    write('tsconfig.json', '{ "extends": "./tsconfig.base.json" }');
    expect(bundle().how).toBe('built');
    expect(bundle().how).toBe('cached');
    write('src/alt/tag.ts', "export const tag = 'tag-from-base';\n");
    write('tsconfig.base.json', '{ "compilerOptions": { "baseUrl": ".", "paths": { "@lib/*": ["src/alt/*"] } } }');
  }, 'tag-from-base'],
];

it.each(changes)('bundles again when %s', (_, change, shows) => {
  bundle();
  change();
  const after = bundle();
  expect(after.how).toBe('built');
  expect(after.text).toContain(shows);
  expect(after.text).toBe(fresh());
  expect(bundle().how).toBe('cached');
});

it('gives back the earlier bundle when a change is undone', () => {
  const first = bundle();
  write('src/lib/tag.ts', "export const tag = 'tag-two';\n");
  bundle();
  write('src/lib/tag.ts', "export const tag = 'tag-one';\n");
  const back = bundle();
  expect(back).toEqual({ how: 'cached', text: first.text });
});

it('bundles afresh over a damaged cache, and stores nothing with the cache off', () => {
  bundle();
  for (const home of readdirSync(cache)) writeFileSync(join(cache, home, 'manifest.json'), '{ "inputs": ');
  expect(bundle().how).toBe('built');
  expect(bundle().how).toBe('cached');
  rmSync(cache, { recursive: true });
  process.env[BUNDLE_CACHE_ENV] = 'off';
  expect(bundle().how).toBe('built');
  expect(bundle().how).toBe('built');
  expect(() => readdirSync(cache)).toThrow();
});

it('does not follow a tsconfig extending a package: bundles every time', () => {
  write('tsconfig.json', '{ "extends": "@tsconfig/node20/tsconfig.json", "compilerOptions": { "baseUrl": ".", "paths": { "@lib/*": ["src/lib/*"] } } }');
  write('node_modules/@tsconfig/node20/tsconfig.json', '{ "compilerOptions": {} }');
  expect(bundle().how).toBe('built');
  expect(bundle().how).toBe('built');
});

it('keeps the four bundles of an entry used last, and drops older ones', () => {
  const versions = ['one', 'two', 'three', 'four', 'five', 'six'];
  for (const v of versions) {
    write('src/lib/tag.ts', `export const tag = 'tag-${v}';\n`);
    expect(bundle().how).toBe('built');
  }
  const [home] = readdirSync(cache);
  const stored = () => readdirSync(join(cache, home!), { withFileTypes: true }).filter((e) => e.isDirectory()).length;
  expect(stored()).toBe(4);
  // 'three' is the oldest kept; using it again makes 'four' the oldest, so the next new one drops 'four'.
  write('src/lib/tag.ts', "export const tag = 'tag-three';\n");
  expect(bundle().how).toBe('cached');
  write('src/lib/tag.ts', "export const tag = 'tag-seven';\n");
  expect(bundle().how).toBe('built');
  expect(stored()).toBe(4);
  write('src/lib/tag.ts', "export const tag = 'tag-three';\n");
  expect(bundle().how).toBe('cached');
  write('src/lib/tag.ts', "export const tag = 'tag-four';\n");
  expect(bundle().how).toBe('built');
});

describe('entries alongside', () => {
  // A second entry sharing the package; a third that does not build.
  const second = () => join(project, 'src', 'second.ts');
  const bundleOf = (entry: string, alongside: string[] = []) => {
    const out = join(project, 'out', `${n++}`, 'index.js');
    return { how: bundleCached(entry, ESBUILD_OPTIONS, out, alongside), text: readFileSync(out, 'utf8') };
  };
  const freshOf = (entry: string) => {
    process.env[BUNDLE_CACHE_ENV] = 'off';
    try {
      return bundleOf(entry).text;
    } finally {
      process.env[BUNDLE_CACHE_ENV] = cache;
    }
  };
  beforeEach(() => write('src/second.ts', "import { hello } from 'pkg';\nexport const handler = () => hello + ' from second';\n"));

  it('are bundled in the same run when the cache lacks them, each the bytes of a run of its own, and found by their own calls', () => {
    const first = bundleOf(join(project, 'src', 'entry.ts'), [second()]);
    expect(first.how).toBe('built');
    expect(first.text).toBe(freshOf(join(project, 'src', 'entry.ts')));
    const other = bundleOf(second());
    expect(other.how).toBe('cached');
    expect(other.text).toBe(freshOf(second()));
    expect(other.text).toContain('from second');
  });

  it('are stored under the inputs each reaches, so a change to one entry leaves the other cached', () => {
    bundleOf(join(project, 'src', 'entry.ts'), [second()]);
    write('src/lib/tag.ts', "export const tag = 'tag-two';\n"); // read by the first entry only
    expect(bundleOf(second()).how).toBe('cached');
    const changed = bundleOf(join(project, 'src', 'entry.ts'), [second()]);
    expect(changed.how).toBe('built');
    expect(changed.text).toContain('tag-two');
    write('node_modules/pkg/main.js', "exports.hello = 'hello changed';\n"); // read by both
    expect(bundleOf(second()).how).toBe('built');
  });

  it('reached through a symlink are stored under the files esbuild read, and bundled again when one changes', () => {
    symlinkSync(join(project, 'src'), join(project, 'linked'), 'dir');
    const viaLink = join(project, 'linked', 'entry.ts');
    expect(bundleOf(second(), [viaLink]).how).toBe('built');
    expect(bundleOf(viaLink).how).toBe('cached');
    write('src/lib/tag.ts', "export const tag = 'tag-through-the-link';\n");
    const again = bundleOf(viaLink);
    expect(again.how).toBe('built');
    expect(again.text).toContain('tag-through-the-link');
  });

  it('that do not build leave the entry bundled on its own', () => {
    write('src/broken.ts', 'export const = ;\n');
    const first = bundleOf(join(project, 'src', 'entry.ts'), [join(project, 'src', 'broken.ts')]);
    expect(first.how).toBe('built');
    expect(first.text).toBe(freshOf(join(project, 'src', 'entry.ts')));
    expect(bundleOf(join(project, 'src', 'entry.ts')).how).toBe('cached');
  });
});
