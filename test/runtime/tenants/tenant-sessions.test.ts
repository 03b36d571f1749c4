import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { Hono } from 'hono';
import { errorResponse } from '../../../runtime/app/http-errors';
import { TenantSessionError, TenantSessions, sessionTagsOf } from '../../../runtime/tenants';

const ROLE = 'arn:aws:iam::111122223333:role/tenant-access';
const HOUR = 3600_000;

function setup() {
  const sts = mockClient(STSClient);
  let now = Date.parse('2026-12-01T10:00:00Z');
  let issued = 0;
  sts.on(AssumeRoleCommand).callsFake(() => {
    issued++;
    return { Credentials: { AccessKeyId: `AKIA${issued}`, SecretAccessKey: 's', SessionToken: `token-${issued}`, Expiration: new Date(now + HOUR) } };
  });
  const sessions = new TenantSessions({ roleArn: ROLE, sts: new STSClient({ region: 'eu-central-1' }), region: 'eu-central-1', now: () => now });
  return { sts, sessions, advance: (ms: number) => (now += ms) };
}

describe('TenantSessions', () => {
  it('assumes the tenant role once per tenant with both session tags, and serves the cache until 16 minutes before expiry', async () => {
    const { sts, sessions, advance } = setup();
    const first = await sessions.credentialsFor('tenant-a');
    advance(HOUR - 17 * 60_000);
    expect(await sessions.credentialsFor('tenant-a')).toBe(first);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    const input = sts.commandCalls(AssumeRoleCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ RoleArn: ROLE, Tags: sessionTagsOf('tenant-a'), DurationSeconds: 3600 });
    expect(input.RoleSessionName).toMatch(/^tenant-[0-9a-f]{32}$/);
    advance(2 * 60_000);
    const second = await sessions.credentialsFor('tenant-a');
    expect(second.sessionToken).not.toBe(first.sessionToken);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it('keeps tenants apart: each has its own session and clients signed with it', async () => {
    const { sts, sessions } = setup();
    const [a, b] = await Promise.all([sessions.clientsFor('tenant-a'), sessions.clientsFor('tenant-b')]);
    expect(a).not.toBe(b);
    expect(a.dynamo).not.toBe(b.dynamo);
    expect(await sessions.clientsFor('tenant-a')).toBe(a);
    const tags = sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.Tags?.[0]?.Value).sort();
    expect(tags).toEqual(['tenant-a', 'tenant-b']);
    const credsA = await a.s3.config.credentials();
    const credsB = await b.s3.config.credentials();
    expect(credsA.sessionToken).not.toBe(credsB.sessionToken);
    expect(credsA.sessionToken).toBe((await sessions.credentialsFor('tenant-a')).sessionToken);
  });

  it('shares one AssumeRole between concurrent requests of a tenant', async () => {
    const { sts, sessions } = setup();
    await Promise.all(Array.from({ length: 10 }, () => sessions.credentialsFor('tenant-a')));
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
  });

  it('fails closed with a TenantSessionError, answered 503, when STS refuses', async () => {
    const { sts, sessions } = setup();
    sts.on(AssumeRoleCommand).rejects(Object.assign(new Error('not authorized to perform sts:TagSession'), { name: 'AccessDenied' }));
    await expect(sessions.clientsFor('tenant-a')).rejects.toThrow(TenantSessionError);
    const app = new Hono();
    app.get('/', async () => {
      await sessions.clientsFor('tenant-a');
      return new Response('served on the function role');
    });
    const lines: object[] = [];
    app.onError((err, c) => errorResponse(err, c, (l) => lines.push(l)));
    const res = await app.request('/');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: 'service unavailable' });
    expect(JSON.stringify(lines)).toContain('AccessDenied');
  });

  it('refuses a tenant id that cannot be a session tag value, naming it', async () => {
    const { sessions } = setup();
    await expect(sessions.credentialsFor('tenant#1')).rejects.toThrow(/tenant#1.*session tag value/);
    await expect(sessions.credentialsFor('x'.repeat(257))).rejects.toThrow(/257 characters/);
  });

  it('tags a Forge installation ARI as it is, and its escaped object prefix', () => {
    expect(sessionTagsOf('ari:cloud:ecosystem::installation/0a1b')).toEqual([
      { Key: 'tenant', Value: 'ari:cloud:ecosystem::installation/0a1b' },
      { Key: 'tenantObjects', Value: 'ari=3Acloud=3Aecosystem=3A=3Ainstallation=2F0a1b' },
    ]);
  });
});
