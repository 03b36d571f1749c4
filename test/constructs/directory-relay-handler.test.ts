import { randomUUID } from 'node:crypto';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { ENV } from '../../runtime/lambda/environment';
import { tenantSlot } from '../../runtime/directory';

const KEY = 'Q7v2Lm9XcR4tWb8NzK3pYh6JdF1sGa5E0uVoTi2CxMn7BqHk4ZlPw9SeDj3Ry8Ug';
const WRITER = 'arn:aws:lambda:us-east-1:123456789012:function:Demo-tenant-directory';

describe('the deployed relay handler', () => {
  it('sends the writer no tenant id: only slots, realm names and actions', async () => {
    const lambda = mockClient(LambdaClient);
    const sent: string[] = [];
    lambda.on(InvokeCommand).callsFake(async ({ Payload }) => {
      sent.push(new TextDecoder().decode(Payload));
      return { StatusCode: 200, Payload: new TextEncoder().encode(JSON.stringify({ realm: 'EU' })) };
    });
    const sm = mockClient(SecretsManagerClient).on(GetSecretValueCommand).resolves({ SecretString: KEY });
    Object.assign(process.env, {
      AWS_REGION: 'eu-central-1',
      AWS_ACCESS_KEY_ID: 'x',
      AWS_SECRET_ACCESS_KEY: 'x',
      [ENV.directoryFunction]: WRITER,
      [ENV.directoryRealms]: '["EU"]',
      [ENV.directoryKeySecretArn]: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:Demo-tenant-directory-key',
    });
    // Loaded after the settings are in place, with the same SDK modules the stand-ins replaced.
    const { handler } = require('../../constructs/tenant-directory/handlers/relay') as { handler: (event: unknown) => Promise<unknown> };
    const tenants = [randomUUID(), `ari:cloud:ecosystem::installation/${randomUUID()}`];
    for (const tenantId of tenants) {
      await handler({ action: 'setRealm', tenantId, realm: 'EU' });
      expect(await handler({ action: 'realmOf', tenantId })).toEqual({ realm: 'EU' });
      await handler({ action: 'remove', tenantId });
    }
    expect(sent).toHaveLength(6);
    for (const tenantId of tenants) expect(sent.filter((p) => p.includes(tenantId))).toEqual([]);
    expect(JSON.parse(sent[0]!)).toEqual({ action: 'setRealm', ...tenantSlot(tenants[0]!, KEY), realm: 'EU' });
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1); // the key is read once per instance
    lambda.restore();
    sm.restore();
  });
});
