import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { secretsManagerDirectoryKey } from '../../../runtime/directory';
import { KEY } from '../../helpers/directory-fixture';

const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:ResidencyDemoEdgeDirectoryKey-AbCdEf';

describe('secretsManagerDirectoryKey', () => {
  let client: SecretsManagerClient;
  let sm: ReturnType<typeof mockClient>;
  beforeEach(() => {
    client = new SecretsManagerClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    sm = mockClient(client);
  });

  it('reads the secret once per process, sharing one call between concurrent readers', async () => {
    sm.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ SecretString: KEY });
    const key = secretsManagerDirectoryKey(ARN, client);
    expect(await Promise.all([key(), key(), key()])).toEqual([KEY, KEY, KEY]);
    expect(await key()).toBe(KEY);
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('reads again after a failed read', async () => {
    sm.on(GetSecretValueCommand).rejectsOnce(new Error('throttled')).resolves({ SecretString: KEY });
    const key = secretsManagerDirectoryKey(ARN, client);
    await expect(key()).rejects.toThrow('throttled');
    expect(await key()).toBe(KEY);
  });

  it('refuses a value that is not a directory key, naming the secret and not the value', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: 'hunter2!' });
    const error = (await secretsManagerDirectoryKey(ARN, client)().catch((e: unknown) => e)) as Error;
    expect(error.message).toBe(`Secret ${ARN}: The tenant directory key must be 32 to 512 letters and digits; found a string of 8 characters that is not 32 to 512 letters and digits`);
  });

  it('wants the secret by ARN, so it can reach the edge region from any realm', () => {
    expect(() => secretsManagerDirectoryKey('directory-key')).toThrow('The directory key secret must be given by its Secrets Manager ARN; found "directory-key"');
  });
});
