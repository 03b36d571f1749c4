import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The entry file of a handler shipped beside a construct (`constructs/<dir>/handlers/<name>`),
 * from the TypeScript sources, which the package ships, wherever they are: from tsc's
 * CommonJS output esbuild cannot tree-shake zod/mini and the app bundle measured 683 KB
 * instead of 83 KB. `constructDir` is the construct's own `__dirname`; from
 * `dist/constructs/<dir>` the sources are three levels up.
 */
export function handlerEntry(constructDir: string, name: string): string {
  const dir = path.basename(constructDir);
  const candidates = [
    path.join(constructDir, 'handlers', `${name}.ts`),
    path.join(constructDir, '..', '..', '..', 'constructs', dir, 'handlers', `${name}.ts`),
  ];
  return candidates.find((file) => existsSync(file)) ?? path.join(constructDir, 'handlers', `${name}.js`);
}

/**
 * Every handler shipped beside the toolkit's constructs (`constructs/<dir>/handlers/<name>`),
 * as {@link handlerEntry} names it for its construct.
 */
export function toolkitHandlerEntries(): string[] {
  const constructs = path.join(__dirname, '..');
  return readdirSync(constructs).flatMap((dir) => {
    let files: string[];
    try {
      files = readdirSync(path.join(constructs, dir, 'handlers'));
    } catch {
      return [];
    }
    const names = new Set(files.filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts')).map((f) => f.replace(/\.(ts|js)$/, '')));
    return [...names].map((name) => handlerEntry(path.join(constructs, dir), name));
  });
}
