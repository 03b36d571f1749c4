import { createHmac, randomUUID } from 'node:crypto';
import { CloudFrontKeyValueStoreClient } from '@aws-sdk/client-cloudfront-keyvaluestore';
import { edgeRouterCode } from '../../../constructs/edge-router';
import {
  DirectoryRequestError,
  FunctionDirectory,
  HashedFunctionDirectory,
  InMemoryDirectory,
  KeyValueStoreDirectory,
  TenantDirectory,
  directoryRequestHandler,
  onlyRealms,
  parseDirectoryRequest,
  slotRequestHandler,
} from '../../../runtime/directory';
import { loadRouter } from '../../constructs/edge-router/load-router';
import { FakeStore } from '../../helpers/fake-kvs';
import { lambdaRunning } from '../../helpers/lambda-running';
import { WRITER, KVS_ARN, KEY } from '../../helpers/directory-fixture';

const RELAY = 'arn:aws:lambda:eu-central-1:123456789012:function:Demo-relay';
const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };

/** A directory reached through a function that runs `directoryRequestHandler(behind)`. */
function throughFunction(behind: TenantDirectory, name = RELAY): FunctionDirectory {
  return new FunctionDirectory({ functionName: name, client: lambdaRunning({ [name]: directoryRequestHandler(behind) }) });
}

describe('FunctionDirectory and directoryRequestHandler', () => {
  it('records, answers and forgets a tenant through the function', async () => {
    const memory = new InMemoryDirectory();
    const directory = throughFunction(memory);
    const tenant = randomUUID();
    await directory.setRealm(tenant, 'EU');
    expect(await memory.realmOf(tenant)).toBe('EU');
    expect(await directory.realmOf(tenant)).toBe('EU');
    await directory.remove(tenant);
    expect(await directory.realmOf(tenant)).toBeUndefined();
    expect(memory.size).toBe(0);
    await directory.remove(tenant); // removing an absent tenant is not an error
  });

  it('reports a refusal by the function as an error naming the function and the action, and changes nothing', async () => {
    const memory = new InMemoryDirectory();
    const directory = throughFunction(memory);
    const error = (await directory.setRealm(randomUUID(), 'Mars').catch((e: unknown) => e)) as Error;
    expect(error.message).toBe(`tenant directory function ${RELAY} failed on setRealm: directory request: "Mars" is not a realm the directory records`);
    expect(memory.size).toBe(0);
  });

  it('passes on a failed write behind the function, so the hook that asked fails too', async () => {
    const failing: TenantDirectory = {
      setRealm: async () => {
        throw new Error('Pre-Condition failed 5 times');
      },
      remove: async () => undefined,
      realmOf: async () => undefined,
    };
    await expect(throughFunction(failing).setRealm('t-1', 'EU')).rejects.toThrow(`tenant directory function ${RELAY} failed on setRealm: Pre-Condition failed 5 times`);
  });

  it('refuses an answer that is not a directory response', async () => {
    const client = lambdaRunning({ [RELAY]: async () => 'yes' });
    await expect(new FunctionDirectory({ functionName: RELAY, client }).realmOf('t')).rejects.toThrow(`answered realmOf with string`);
    const numeric = lambdaRunning({ [RELAY]: async () => ({ realm: 7 }) });
    await expect(new FunctionDirectory({ functionName: RELAY, client: numeric }).realmOf('t')).rejects.toThrow('answered a realm that is not a string');
  });

  it('refuses a function name that is neither a name nor an ARN', () => {
    expect(() => new FunctionDirectory({ functionName: 'https://example.com/fn' })).toThrow(
      'The tenant directory function must be a Lambda function name or ARN; found "https://example.com/fn"',
    );
  });

  it('a realm relay in front of the edge writer: an install recorded through both is routed by the edge router to its realm', async () => {
    const kvsClient = new CloudFrontKeyValueStoreClient({ region: 'us-east-1', credentials });
    const store = new FakeStore();
    store.install(kvsClient);
    const writer = slotRequestHandler(new KeyValueStoreDirectory({ kvsArn: KVS_ARN, client: kvsClient, directoryKey: async () => KEY }), ['Global', 'EU']);
    // The relay hashes in the realm and sends the writer slots, behind a second function, as in the deployed chain.
    const relay = directoryRequestHandler(new HashedFunctionDirectory({ functionName: WRITER, directoryKey: async () => KEY, client: lambdaRunning({ [WRITER]: writer }) }));
    const app = new FunctionDirectory({ functionName: RELAY, client: lambdaRunning({ [RELAY]: relay }) });

    const tenant = randomUUID();
    await app.setRealm(tenant, 'EU');
    const router = loadRouter(edgeRouterCode({ Global: 'global.app.example.com', EU: 'eu.app.example.com' }), store.entries);
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ iss: tenant, iat: 1, exp: 2, qsh: 'x' })}`;
    const token = `${body}.${createHmac('sha256', 's').update(body).digest('base64url')}`;
    await router.handler({ request: { method: 'GET', uri: '/p', querystring: { jwt: { value: token } }, headers: {} } });
    expect(router.originUpdates).toEqual([{ domainName: 'eu.app.example.com' }]);
    // Only keyed hashes and the reserved key entry are stored, never the tenant id.
    expect([...store.entries].some(([k, v]) => k.includes(tenant) || v.includes(tenant))).toBe(false);

    await app.remove(tenant);
    const after = loadRouter(edgeRouterCode({ Global: 'global.app.example.com', EU: 'eu.app.example.com' }), store.entries);
    await after.handler({ request: { method: 'GET', uri: '/p', querystring: { jwt: { value: token } }, headers: {} } });
    expect(after.originUpdates).toEqual([]); // unknown again: the default origin, Global
  });
});

describe('onlyRealms', () => {
  it("lets a relay record only its own stack's realms, and still forget or look up any tenant", async () => {
    const memory = new InMemoryDirectory();
    const relay = throughFunction(onlyRealms(memory, ['EU', 'DE']));
    await relay.setRealm('t-1', 'DE');
    await expect(relay.setRealm('t-2', 'US')).rejects.toThrow(`failed on setRealm: directory request: realm "US" is not one this function may record (EU, DE)`);
    expect(await memory.realmOf('t-2')).toBeUndefined();
    expect(await relay.realmOf('t-1')).toBe('DE');
    await relay.remove('t-1');
    expect(memory.size).toBe(0);
  });
});

describe('parseDirectoryRequest', () => {
  it('accepts the three actions', () => {
    expect(parseDirectoryRequest({ action: 'setRealm', tenantId: 't', realm: 'EU' })).toEqual({ action: 'setRealm', tenantId: 't', realm: 'EU' });
    expect(parseDirectoryRequest({ action: 'remove', tenantId: 't' })).toEqual({ action: 'remove', tenantId: 't' });
    expect(parseDirectoryRequest({ action: 'realmOf', tenantId: 't' })).toEqual({ action: 'realmOf', tenantId: 't' });
  });

  it.each([
    [null, 'directory request: expected a JSON object'],
    [['setRealm'], 'directory request: expected a JSON object'],
    [{ action: 'drop', tenantId: 't' }, 'directory request: action must be "setRealm", "remove", "realmOf", "slots" or "reconcile"'],
    [{ action: 'slots', tenantIds: Array.from({ length: 5001 }, () => 't') }, 'directory request: slots needs tenantIds, an array of at most 5000 strings of 1 to 512 characters'],
    [{ action: 'slots', tenantIds: ['t'], realm: 'EU' }, 'directory request: slots takes tenantIds only'],
    [{ action: 'setRealm', tenantId: 't', realm: 'EU', tenantIds: ['t'] }, 'directory request: tenantIds is only given with slots'],
    [{ action: 'reconcile', realm: 'EU', from: 0, to: 512, tenantIds: ['t'] }, 'directory request: tenantIds is only given with slots'],
    [{ action: 'reconcile', realm: 'EU', from: 0, to: 512, slots: ['t'] }, 'directory request: slots[0] is not a bucket and fingerprint of 15 characters'],
    [{ action: 'reconcile', realm: 'EU', from: 0, to: 1024, slots: [] }, 'directory request: reconcile covers at most 512 buckets; found 1024'],
    [{ action: 'remove', tenantId: 't', slots: [] }, 'directory request: from, to, slots and remove are only given with reconcile'],
    [{ action: 'remove' }, 'directory request: tenantId must be a string of 1 to 512 characters'],
    [{ action: 'remove', tenantId: '' }, 'directory request: tenantId must be a string of 1 to 512 characters'],
    [{ action: 'remove', tenantId: 'x'.repeat(513) }, 'directory request: tenantId must be a string of 1 to 512 characters'],
    [{ action: 'remove', tenantId: 't', realm: 'EU' }, 'directory request: realm is only given with setRealm'],
    [{ action: 'setRealm', tenantId: 't' }, 'directory request: setRealm needs a realm'],
    [{ action: 'setRealm', tenantId: 't', realm: 'Mars' }, 'directory request: "Mars" is not a realm the directory records'],
    [{ action: 'remove', tenantId: 't', extra: 1 }, 'directory request: unexpected field "extra"'],
  ])('refuses %j: %s', (event, message) => {
    expect(() => parseDirectoryRequest(event)).toThrow(new DirectoryRequestError(message));
  });
});
