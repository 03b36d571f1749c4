import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FUNCTION_CODE_LIMIT_BYTES, edgeRouterCode } from '../../../constructs/edge-router';
import { REALM_NAMES } from '../../../lib/config';
import { DIRECTORY_LAYOUT, REALM_CODES } from '../../../runtime/directory';

// The longest host names the config schema allows per label, for every realm at once.
const WORST_CASE = Object.fromEntries(REALM_NAMES.map((realm) => [realm, `${realm.toLowerCase()}-${'x'.repeat(50)}.${'y'.repeat(60)}.example.com`]));

describe('edgeRouterCode', () => {
  it('stays under the 10 KB CloudFront Functions limit with all twelve realms on long host names', () => {
    const bytes = Buffer.byteLength(edgeRouterCode(WORST_CASE), 'utf8');
    // eslint-disable-next-line no-console
    console.log(`edge router code, 12 realms on long host names: ${bytes} bytes of ${FUNCTION_CODE_LIMIT_BYTES}`);
    expect(bytes).toBeLessThan(FUNCTION_CODE_LIMIT_BYTES);
  });

  it('writes each realm host under its directory code, and the directory layout, into the code', () => {
    const code = edgeRouterCode({ Global: 'global.app.example.com', EU: 'eu.app.example.com' });
    expect(code).toContain(`const HOSTS = ${JSON.stringify({ G: 'global.app.example.com', E: 'eu.app.example.com' })};`);
    expect(code).toContain(`const KEY_ENTRY = ${JSON.stringify(DIRECTORY_LAYOUT.keyEntry)};`);
    expect(code).toContain(`const FP = ${DIRECTORY_LAYOUT.fingerprintLength};`);
    expect(code).not.toMatch(/__[A-Z_]+__/);
  });

  it('starts with the cloudfront module import, as runtime 2.0 requires for the KVS and origin helpers', () => {
    expect(edgeRouterCode({ Global: 'global.app.example.com' }).split('\n').find((l) => !l.startsWith('//'))).toBe("import cf from 'cloudfront';");
  });

  it('uses no syntax CloudFront Functions lack (optional chaining, nullish coalescing, spread, classes)', () => {
    const source = readFileSync(join(__dirname, '..', '..', '..', 'constructs', 'edge-router', 'router.js'), 'utf8').replace(/\/\/.*$/gm, '');
    expect(source).not.toMatch(/\?\.|\?\?|\.\.\.|\bclass\b|\bMap\b|\bSet\b/);
  });

  it('gives every realm of the catalog a distinct one-letter code', () => {
    expect(Object.keys(REALM_CODES).sort()).toEqual([...REALM_NAMES].sort());
    const codes = Object.values(REALM_CODES);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) expect(c).toMatch(/^[A-Z]$/);
  });

  it('refuses a config without Global, an unknown realm and a malformed host, naming each', () => {
    expect(() => edgeRouterCode({ EU: 'eu.app.example.com' })).toThrow(/no Global realm host/);
    expect(() => edgeRouterCode({ Global: 'global.app.example.com', Mars: 'mars.app.example.com' })).toThrow(/realm "Mars"; expected one of Global/);
    expect(() => edgeRouterCode({ Global: 'https://global.app.example.com/' })).toThrow(/host "https:\/\/global.app.example.com\/" for realm Global/);
  });
});
