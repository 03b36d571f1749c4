import { DataKeyError, EncryptionContext, KmsKeySource } from '../../../runtime/crypto';
import { FakeKms } from '../../helpers/fake-kms';

const KEY_ARN = 'arn:aws:kms:eu-central-1:111111111111:key/realm-eu';
const context: EncryptionContext = { app: 'com.example.app', realm: 'EU', tenant: 'tenant-a' };

describe('KmsKeySource', () => {
  let kms: FakeKms;
  let source: KmsKeySource;
  beforeEach(() => {
    kms = new FakeKms();
    source = new KmsKeySource({ keyId: KEY_ARN, client: kms.client });
  });

  it('generates an AES-256 data key bound to the app, realm and tenant as KMS encryption context', async () => {
    const key = await source.generateDataKey(context);
    expect(key.plaintext).toHaveLength(32);
    expect(kms.contexts).toEqual([{ app: 'com.example.app', realm: 'EU', tenant: 'tenant-a' }]);
    expect(await source.unwrap(key.wrapped, context)).toEqual(key.plaintext);
    expect(kms.calls).toEqual({ generateDataKey: 1, decrypt: 1 });
  });

  it('refuses to unwrap with another tenant in the context, with a clear error', async () => {
    const key = await source.generateDataKey(context);
    const unwrap = source.unwrap(key.wrapped, { ...context, tenant: 'tenant-b' });
    await expect(unwrap).rejects.toThrow(DataKeyError);
    await expect(source.unwrap(key.wrapped, { ...context, tenant: 'tenant-b' })).rejects.toThrow(
      /tenant "tenant-b".*InvalidCiphertextException.*encryption context/,
    );
  });

  it('refuses to unwrap with another realm or app in the context', async () => {
    const key = await source.generateDataKey(context);
    await expect(source.unwrap(key.wrapped, { ...context, realm: 'US' })).rejects.toThrow(DataKeyError);
    await expect(source.unwrap(key.wrapped, { ...context, app: 'other' })).rejects.toThrow(DataKeyError);
  });

  it('refuses a damaged wrapped key', async () => {
    const key = await source.generateDataKey(context);
    const damaged = Uint8Array.from(key.wrapped);
    damaged[0]! ^= 1;
    await expect(source.unwrap(damaged, context)).rejects.toThrow(DataKeyError);
  });

  it('refuses a key wrapped under another KMS key', async () => {
    const key = await source.generateDataKey(context);
    const other = new KmsKeySource({ keyId: 'arn:aws:kms:eu-central-1:111111111111:key/other', client: kms.client });
    await expect(other.unwrap(key.wrapped, context)).rejects.toThrow(/IncorrectKeyException/);
  });

  it('refuses an incomplete encryption context before calling KMS', async () => {
    await expect(source.generateDataKey({ ...context, tenant: '' })).rejects.toThrow(/non-empty "tenant"/);
    expect(kms.total).toBe(0);
  });

  it('needs a key id', () => {
    expect(() => new KmsKeySource({ keyId: '' })).toThrow(/needs a keyId/);
  });
});
