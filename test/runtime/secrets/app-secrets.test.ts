import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { AppSecretError, AppSecrets } from '../../../runtime/secrets';

const PREFIX = 'com.example.app/EU/';

describe('AppSecrets', () => {
  let client: SecretsManagerClient;
  let sm: ReturnType<typeof mockClient>;
  let clock: number;
  let secrets: AppSecrets;
  beforeEach(() => {
    client = new SecretsManagerClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    sm = mockClient(client);
    sm.on(GetSecretValueCommand, { SecretId: `${PREFIX}stripe-key` }).resolves({ SecretString: 'sk_live_value_1' });
    clock = 1_000_000;
    secrets = new AppSecrets({ prefix: PREFIX, client, ttlMs: 60_000, now: () => clock });
  });

  const calls = () => sm.commandCalls(GetSecretValueCommand).length;

  it('reads the secret named prefix + name', async () => {
    expect(await secrets.get('stripe-key')).toBe('sk_live_value_1');
    expect(sm.commandCalls(GetSecretValueCommand)[0]?.args[0].input).toEqual({ SecretId: 'com.example.app/EU/stripe-key' });
  });

  it('serves a second read within the TTL from the cache', async () => {
    await secrets.get('stripe-key');
    clock += 59_000;
    expect(await secrets.get('stripe-key')).toBe('sk_live_value_1');
    expect(calls()).toBe(1);
  });

  it('reads again once the TTL has passed, seeing a rotated value', async () => {
    await secrets.get('stripe-key');
    sm.on(GetSecretValueCommand, { SecretId: `${PREFIX}stripe-key` }).resolves({ SecretString: 'sk_live_value_2' });
    clock += 60_001;
    expect(await secrets.get('stripe-key')).toBe('sk_live_value_2');
    expect(calls()).toBe(2);
  });

  it('shares one call between concurrent reads of one secret', async () => {
    const values = await Promise.all(Array.from({ length: 10 }, () => secrets.get('stripe-key')));
    expect(new Set(values)).toEqual(new Set(['sk_live_value_1']));
    expect(calls()).toBe(1);
  });

  it('names a missing secret in its error, and no value', async () => {
    sm.on(GetSecretValueCommand, { SecretId: `${PREFIX}missing` }).rejects(
      new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", $metadata: {} }),
    );
    await secrets.get('stripe-key');
    const error = await secrets.get('missing').catch((err: unknown) => err);
    expect(error).toBeInstanceOf(AppSecretError);
    expect((error as AppSecretError).message).toBe('App secret "com.example.app/EU/missing" does not exist (or has no current value)');
    expect((error as AppSecretError).secretName).toBe('missing');
    expect((error as Error).message).not.toContain('sk_live');
  });

  it('does not cache a failure', async () => {
    sm.on(GetSecretValueCommand, { SecretId: `${PREFIX}late` })
      .rejectsOnce(new ResourceNotFoundException({ message: 'not yet', $metadata: {} }))
      .resolves({ SecretString: 'now-there' });
    await expect(secrets.get('late')).rejects.toThrow(AppSecretError);
    expect(await secrets.get('late')).toBe('now-there');
  });

  it('refuses a binary secret, naming it', async () => {
    sm.on(GetSecretValueCommand, { SecretId: `${PREFIX}cert` }).resolves({ SecretBinary: new Uint8Array([1, 2, 3]) });
    await expect(secrets.get('cert')).rejects.toThrow('App secret "com.example.app/EU/cert" holds binary data; a string value is needed');
  });

  it('names the secret and the error code when Secrets Manager refuses the read', async () => {
    const denied = Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' });
    sm.on(GetSecretValueCommand, { SecretId: `${PREFIX}locked` }).rejects(denied);
    await expect(secrets.get('locked')).rejects.toThrow('App secret "com.example.app/EU/locked" could not be read (AccessDeniedException)');
  });

  it('refuses a name Secrets Manager would not accept', async () => {
    await expect(secrets.get('')).rejects.toThrow(/secret name/);
    await expect(secrets.get('has space')).rejects.toThrow(/secret name/);
    expect(calls()).toBe(0);
  });
});
