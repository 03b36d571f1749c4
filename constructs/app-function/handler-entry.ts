import { existsSync } from 'node:fs';
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
