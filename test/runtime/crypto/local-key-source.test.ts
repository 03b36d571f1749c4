import { randomBytes } from 'node:crypto';
import { DataKeyError, EncryptionContext, LocalKeySource } from '../../../runtime/crypto';

const context: EncryptionContext = { app: 'com.example.app', realm: 'EU', tenant: 'tenant-a' };

describe('LocalKeySource', () => {
  it('unwraps a data key it generated for the same context', async () => {
    const source = LocalKeySource.random();
    const key = await source.generateDataKey(context);
    expect(key.plaintext).toHaveLength(32);
    expect(Buffer.from(key.wrapped).includes(Buffer.from(key.plaintext))).toBe(false);
    expect(await source.unwrap(key.wrapped, context)).toEqual(key.plaintext);
  });

  it('refuses to unwrap with another tenant, realm or app', async () => {
    const source = LocalKeySource.random();
    const key = await source.generateDataKey(context);
    for (const other of [{ ...context, tenant: 'tenant-b' }, { ...context, realm: 'US' }, { ...context, app: 'x' }]) {
      await expect(source.unwrap(key.wrapped, other)).rejects.toThrow(DataKeyError);
    }
  });

  it('does not confuse contexts whose joined fields are equal', async () => {
    const source = LocalKeySource.random();
    const key = await source.generateDataKey({ app: 'a|b', realm: 'EU', tenant: 't' });
    await expect(source.unwrap(key.wrapped, { app: 'a', realm: 'b|EU', tenant: 't' })).rejects.toThrow(DataKeyError);
  });

  it('refuses a key wrapped under another master key', async () => {
    const key = await LocalKeySource.random().generateDataKey(context);
    await expect(LocalKeySource.random().unwrap(key.wrapped, context)).rejects.toThrow(/could not unwrap the data key for app "com.example.app", realm "EU", tenant "tenant-a"/);
  });

  it('is deterministic across instances with the same master key', async () => {
    const master = new Uint8Array(randomBytes(32));
    const key = await new LocalKeySource(master).generateDataKey(context);
    expect(await new LocalKeySource(master).unwrap(key.wrapped, context)).toEqual(key.plaintext);
  });

  it.each([0, 16, 31, 33, 64])('refuses a master key of %i bytes', (length) => {
    expect(() => new LocalKeySource(new Uint8Array(length))).toThrow(`needs a 32-byte (AES-256) master key, got ${length} bytes`);
  });
});
