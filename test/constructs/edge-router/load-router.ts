import * as nodeCrypto from 'node:crypto';
import * as vm from 'node:vm';

/** A CloudFront Functions viewer-request event, as much of it as the router reads. */
export interface ViewerRequestEvent {
  readonly request: {
    readonly method?: string;
    readonly uri?: string;
    readonly querystring?: Record<string, { value: string; multiValue?: Array<{ value: string }> }>;
    readonly headers?: Record<string, { value: string }>;
  };
}

/** The router loaded under Node, with what it asked CloudFront to do. */
export interface LoadedRouter {
  /** The function's `handler`. */
  readonly handler: (event: unknown) => Promise<unknown>;
  /** Every `cf.updateRequestOrigin` argument, in call order. */
  readonly originUpdates: unknown[];
  /** Every key the function read from the KeyValueStore. */
  readonly reads: string[];
}

/**
 * Evaluates the exact router code (as deployed) under Node, the way CloudFront Functions
 * runs it: strict mode, `require('crypto')` answered by Node's crypto (createHmac and
 * base64url digests behave as the runtime's), `Buffer` from Node, and the `cloudfront`
 * module replaced by a fake whose KeyValueStore holds `entries` (a missing key rejects, as
 * the real `kvs.get` does). The one change to the code is the module import, which a
 * script cannot contain: `import cf from 'cloudfront';` becomes a binding to the fake.
 */
export function loadRouter(code: string, entries: ReadonlyMap<string, string>): LoadedRouter {
  const importLine = /^import cf from 'cloudfront';$/m;
  if (!importLine.test(code)) throw new Error("router code does not start its cloudfront import as `import cf from 'cloudfront';`");
  const originUpdates: unknown[] = [];
  const reads: string[] = [];
  const cloudfront = {
    kvs: () => ({
      get: async (key: string) => {
        reads.push(key);
        if (!entries.has(key)) throw new Error(`KeyValueStore: key not found`);
        return entries.get(key);
      },
    }),
    updateRequestOrigin: (origin: unknown) => {
      originUpdates.push(origin);
    },
  };
  const allowed: Record<string, unknown> = { crypto: nodeCrypto };
  const context = vm.createContext({
    __cloudfront: cloudfront,
    Buffer,
    require: (name: string) => {
      if (!(name in allowed)) throw new Error(`CloudFront Functions have no module ${name}`);
      return allowed[name];
    },
  });
  const script = `'use strict';\n${code.replace(importLine, 'const cf = __cloudfront;')}\n;handler`;
  const handler = vm.runInContext(script, context) as LoadedRouter['handler'];
  return { handler, originUpdates, reads };
}
