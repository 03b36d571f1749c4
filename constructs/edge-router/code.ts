import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DIRECTORY_LAYOUT, REALM_CODES } from '../../runtime/directory/layout';
import { EDGE_CONTENT_PATHS } from './origin-paths';
import { EDGE_VIEWER_HEADER } from './viewer-header';

/** CloudFront Functions' hard limit on a function's code, in bytes. */
export const FUNCTION_CODE_LIMIT_BYTES = 10_240;

const HOSTNAME = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

// router.js ships beside this file in the source tree; from dist/ it is found in the package's constructs/ folder.
function sourcePath(): string {
  const candidates = [
    path.join(__dirname, 'router.js'),
    path.join(__dirname, '..', '..', '..', 'constructs', 'edge-router', 'router.js'),
  ];
  const found = candidates.find((file) => existsSync(file));
  if (!found) throw new Error(`edge router: found no router.js in ${candidates.join(' or ')}; expected the package's constructs/edge-router/router.js`);
  return found;
}

/**
 * The exact code of the edge router function for a deployment whose realms are served
 * at `realmHosts` (realm name -> regional host name, Global included): `router.js` with
 * the realm map and the directory layout written in. Realms map to their one-letter
 * directory codes, so the function holds host names only, never a tenant.
 * @throws Error naming the problem when a realm or host is invalid, Global is missing, or the code exceeds 10 KB
 */
export function edgeRouterCode(realmHosts: Readonly<Record<string, string>>): string {
  const hosts: Record<string, string> = {};
  for (const [realm, host] of Object.entries(realmHosts)) {
    const code = Object.prototype.hasOwnProperty.call(REALM_CODES, realm) ? REALM_CODES[realm] : undefined;
    if (code === undefined) throw new Error(`edge router: found realm ${JSON.stringify(realm)}; expected one of ${Object.keys(REALM_CODES).join(', ')}`);
    if (!HOSTNAME.test(host)) throw new Error(`edge router: found host ${JSON.stringify(host)} for realm ${realm}; expected a lower-case DNS name`);
    hosts[code] = host;
  }
  if (hosts[REALM_CODES.Global!] === undefined) throw new Error('edge router: found no Global realm host; expected the Global realm, where unroutable requests go');
  const values: Record<string, unknown> = {
    __HOSTS__: hosts,
    __KEY_ENTRY__: DIRECTORY_LAYOUT.keyEntry,
    __BUCKET_TAIL__: DIRECTORY_LAYOUT.bucketTailAlphabet,
    __FINGERPRINT_LENGTH__: DIRECTORY_LAYOUT.fingerprintLength,
    __VIEWER_HEADER__: EDGE_VIEWER_HEADER,
    __CONTENT_PATH__: EDGE_CONTENT_PATHS.descriptor,
    __CONTENT_PREFIX__: EDGE_CONTENT_PATHS.staticPrefix,
  };
  const code = readFileSync(sourcePath(), 'utf8').replace(/\b__[A-Z_]+__\b/g, (name) => {
    if (!(name in values)) throw new Error(`edge router: router.js names ${name}, which the code generator does not fill in`);
    return JSON.stringify(values[name]);
  });
  const bytes = Buffer.byteLength(code, 'utf8');
  if (bytes > FUNCTION_CODE_LIMIT_BYTES) {
    throw new Error(`edge router: the function code takes ${bytes} bytes for ${Object.keys(hosts).length} realms; CloudFront Functions take at most ${FUNCTION_CODE_LIMIT_BYTES}`);
  }
  return code;
}
