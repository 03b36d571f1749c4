import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { IConstruct } from 'constructs';
import { ENV } from '../../runtime/lambda/environment';
import vendor from '../fixtures/vendor-app/app';
import { NO_BUNDLING } from '../helpers/example-app';
import { vendorAppStack } from '../helpers/vendor-app-stack';

// A vendor app that is not the example, as a library user passes it: RealmStack({ app: { entry } }).
const app = new App({ context: NO_BUNDLING });
const stack = vendorAppStack(app);
const template = Template.fromStack(stack);
const resources = template.toJSON().Resources as Record<string, any>;
const id = (s: Stack, c: IConstruct) => s.getLogicalId((c instanceof CfnElement ? c : c.node.defaultChild) as CfnElement);
const api = stack.secureApi;
const byAuthorizer: Record<string, string> = {
  [id(stack, api.connectAuthorizer)]: 'connect',
  [id(stack, api.installAuthorizer)]: 'install',
  [id(stack, api.forgeAuthorizer!)]: 'forge',
};

function pathOf(resourceId: string): string {
  const r = resources[resourceId].Properties;
  return `${r.ParentId.Ref ? pathOf(r.ParentId.Ref) : ''}/${r.PathPart}`;
}

/** `METHOD /path` -> the authorizer kind in front of it, from the synthesized methods. */
const methods = new Map(
  Object.values(resources)
    .filter((r) => r.Type === 'AWS::ApiGateway::Method')
    .map((m) => [`${m.Properties.HttpMethod} ${pathOf(m.Properties.ResourceId.Ref)}`, { type: m.Properties.AuthorizationType, authorizer: byAuthorizer[m.Properties.AuthorizerId.Ref] }]),
);

const routesOf = (fn: { function: IConstruct }) => JSON.parse(resources[id(stack, fn.function)].Properties.Environment.Variables[ENV.routes]);

describe("a vendor app's routes in a realm stack", () => {
  it('makes every vendor route a method behind exactly its authorizer, path parameters as {name} resources', () => {
    const vendorMethods = [...methods].filter(([key]) => !/ \/(lifecycle|migration|forge\/migration)\/|^POST \/forge\/lifecycle$/.test(key));
    expect(Object.fromEntries(vendorMethods)).toEqual({
      'GET /pages/board': { type: 'CUSTOM', authorizer: 'connect' },
      'GET /api/items': { type: 'CUSTOM', authorizer: 'connect' },
      'GET /api/items/{id}': { type: 'CUSTOM', authorizer: 'connect' },
      'PUT /api/items/{id}': { type: 'CUSTOM', authorizer: 'connect' },
      'DELETE /api/items/{id}': { type: 'CUSTOM', authorizer: 'connect' },
      'POST /webhooks/comment': { type: 'CUSTOM', authorizer: 'connect' },
      'POST /forge/items': { type: 'CUSTOM', authorizer: 'forge' },
    });
    expect(vendor.routes).toHaveLength(vendorMethods.length);
  });

  it("keeps the toolkit's routes behind theirs: installs behind the install authorizer, Forge hooks behind Forge", () => {
    expect(methods.get('POST /lifecycle/installed')?.authorizer).toBe('install');
    expect(methods.get('POST /lifecycle/uninstalled')?.authorizer).toBe('install');
    expect(methods.get('POST /lifecycle/enabled')?.authorizer).toBe('connect');
    expect(methods.get('POST /migration/start')?.authorizer).toBe('connect');
    expect(methods.get('POST /forge/migration/start')?.authorizer).toBe('forge');
  });

  it('tells each authorizer exactly the routes it stands in front of, as route data (method, path, auth)', () => {
    const connect = routesOf(api.connectAuthorizerFunction);
    expect(connect).toEqual(expect.arrayContaining([
      { method: 'GET', path: '/api/items/:id', auth: 'context' },
      { method: 'GET', path: '/pages/board', auth: 'connect' },
    ]));
    expect(new Set(connect.map((r: { auth: string }) => r.auth))).toEqual(new Set(['connect', 'context']));
    expect(routesOf(api.installAuthorizerFunction).map((r: { path: string }) => r.path)).toEqual(['/lifecycle/installed', '/lifecycle/uninstalled']);
    const forge = routesOf(api.forgeAuthorizerFunction!);
    // Forge routes carry the modules that may call them, so the authorizer binds each token to its use.
    expect(forge).toContainEqual({ method: 'POST', path: '/forge/items', auth: 'forge', forgeModules: ['items-resolver'] });
    expect(forge).toContainEqual({ method: 'GET', path: '/forge/migration/status', auth: 'forge', forgeModules: ['dare-migration'], forgeSystemOnly: true });
    expect(forge.every((r: { auth: string }) => r.auth === 'forge')).toBe(true);
    // Every synthesized method is in exactly one authorizer's list.
    const listed = [connect, routesOf(api.installAuthorizerFunction), forge].flat().map((r: { method: string; path: string }) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
    expect(listed.sort()).toEqual([...methods.keys()].sort());
  });

  it('gives the app function the data bucket name and the app secrets prefix for tenant.objects and tenant.secrets', () => {
    const env = resources[id(stack, api.appFunction.function)].Properties.Environment.Variables;
    expect(env[ENV.bucketName]).toEqual({ Ref: id(stack, stack.dataBucket.bucket) });
    expect(env[ENV.secretPrefix]).toBe(stack.appSecrets.prefix);
    expect(stack.appSecrets.prefix).toBe('com.acme.board/eu/');
  });
});
