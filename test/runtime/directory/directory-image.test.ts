import { randomUUID } from 'node:crypto';
import { DIRECTORY_LAYOUT, buildDirectoryImage, parseBucket, tenantSlot } from '../../../runtime/directory';

const KEY = 'Q7v2Lm9XcR4tWb8NzK3pYh6JdF1sGa5E0uVoTi2CxMn7BqHk4ZlPw9SeDj3Ry8Ug';
const REALMS = ['Global', 'US', 'EU', 'DE', 'AU'];

describe('buildDirectoryImage', () => {
  const entries = Array.from({ length: 20_000 }, (_, i) => ({
    tenantId: i % 2 ? randomUUID() : `ari:cloud:ecosystem::installation/${randomUUID()}`,
    realm: REALMS[i % REALMS.length]!,
  }));
  const image = buildDirectoryImage(entries, KEY);
  const data: Array<{ key: string; value: string }> = JSON.parse(image.json).data;

  it('writes the CloudFront KeyValueStore import format, {"data":[{"key","value"}]}, with unique keys', () => {
    expect(Object.keys(JSON.parse(image.json))).toEqual(['data']);
    for (const e of data) expect(Object.keys(e)).toEqual(['key', 'value']);
    expect(new Set(data.map((e) => e.key)).size).toBe(data.length);
    expect(image.keys).toBe(data.length);
    expect(image.bytes).toBe(Buffer.byteLength(image.json));
    expect(image.storedBytes).toBe(data.reduce((n, e) => n + e.key.length + e.value.length, 0));
  });

  it('records every tenant in its slot with its realm, and no tenant id in clear', () => {
    const byKey = new Map(data.map((e) => [e.key, e.value]));
    for (const { tenantId, realm } of entries.slice(0, 500)) {
      const { bucket, fingerprint } = tenantSlot(tenantId, KEY);
      expect(parseBucket(bucket, byKey.get(bucket)).get(fingerprint)).toBe(realm);
      expect(image.json).not.toContain(tenantId);
    }
    expect(image.tenants).toBe(entries.length);
    expect(image.collisions).toBe(0);
  });

  it('leaves the directory key out of the image', () => {
    expect(data.some((e) => e.key === DIRECTORY_LAYOUT.keyEntry)).toBe(false);
    expect(image.json).not.toContain(KEY);
  });

  it('counts a tenant listed twice in one realm once, and not as a collision', () => {
    expect(buildDirectoryImage([{ tenantId: 'tenant-a', realm: 'EU' }, { tenantId: 'tenant-a', realm: 'EU' }], KEY)).toMatchObject({ tenants: 1, keys: 1, collisions: 0 });
  });

  it('refuses a tenant listed in two realms, and an unknown realm, naming the entry', () => {
    expect(() => buildDirectoryImage([{ tenantId: 't1', realm: 'EU' }, { tenantId: 't1', realm: 'US' }], KEY)).toThrow('directory entry 1: tenant listed twice, in EU and in US');
    expect(() => buildDirectoryImage([{ tenantId: 't1', realm: 'Atlantis' }], KEY)).toThrow('Unknown realm "Atlantis"');
    expect(() => buildDirectoryImage([{ tenantId: '', realm: 'EU' }], KEY)).toThrow('directory entry 0: tenantId must be a non-empty string');
    expect(() => buildDirectoryImage([], 'too-short')).toThrow(/directory key must be 32 to 512 letters and digits/);
  });
});
