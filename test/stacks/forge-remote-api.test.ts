import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { parseConfig } from '../../lib/config';
import { addResidencyStacks } from '../../lib/stacks/residency-app';
import { FORGE_APP_ROUTES, MIGRATION_HOOK_PATH } from '../../runtime/app/routes';
import { ENV } from '../../runtime/lambda/environment';
import { NO_BUNDLING } from '../helpers/example-app';
import { logicalIdOf } from '../helpers/logical-id';
import { exampleConfigJson } from '../helpers/example-config';

const FORGE_APP = 'ari:cloud:ecosystem::app/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

function euStack(forgeAppId: string | undefined) {
  const json = exampleConfigJson();
  if (forgeAppId === undefined) delete (json.app as { forgeAppId?: string }).forgeAppId;
  else json.app.forgeAppId = forgeAppId;
  const { realmStacks } = addResidencyStacks(new App({ context: NO_BUNDLING }), parseConfig(json));
  const eu = realmStacks.find((s) => s.realms[0] === 'EU')!;
  return { eu, t: Template.fromStack(eu).toJSON() };
}

/** Each method's path (from its resources' path parts) and the logical id of its authorizer. */
function methods(t: any): Map<string, string> {
  const resources = t.Resources;
  const pathOf = (id: string | undefined): string => {
    const r = id === undefined ? undefined : resources[id];
    if (!r || r.Type !== 'AWS::ApiGateway::Resource') return '';
    return `${pathOf(r.Properties.ParentId.Ref ?? undefined)}/${r.Properties.PathPart}`;
  };
  const out = new Map<string, string>();
  for (const r of Object.values<any>(resources)) {
    if (r.Type === 'AWS::ApiGateway::Method') out.set(`${r.Properties.HttpMethod} ${pathOf(r.Properties.ResourceId.Ref)}`, r.Properties.AuthorizerId.Ref);
  }
  return out;
}

describe('a realm API that is also a Forge remote', () => {
  const { eu, t } = euStack(FORGE_APP);
  const api = eu.secureApi;

  it('serves every Forge migration hook behind the Forge authorizer, and the Connect hooks behind the Connect authorizer', () => {
    const m = methods(t);
    for (const route of FORGE_APP_ROUTES) expect(m.get(`${route.method} ${route.path}`)).toBe(logicalIdOf(eu, api.forgeAuthorizer!));
    expect(m.get(`POST ${MIGRATION_HOOK_PATH}/schedule`)).toBe(logicalIdOf(eu, api.connectAuthorizer));
  });

  it('runs the Forge authorizer outside the VPC with the app id and no data permission', () => {
    const fn = t.Resources[logicalIdOf(eu, api.forgeAuthorizerFunction!.function)].Properties;
    expect(fn.VpcConfig).toBeUndefined();
    expect(fn.Environment.Variables[ENV.forgeAppId]).toBe(FORGE_APP);
    expect(api.forgeAuthorizerFunction!.dataPolicy).toBeUndefined();
    const app = t.Resources[logicalIdOf(eu, api.appFunction.function)].Properties;
    expect(app.Environment.Variables[ENV.forgeAppId]).toBe(FORGE_APP); // so it serves the Forge routes too
  });

  it('has no Forge authorizer or Forge routes without a Forge app id', () => {
    const { eu: plain, t: tp } = euStack(undefined);
    expect(plain.secureApi.forgeAuthorizer).toBeUndefined();
    expect([...methods(tp).keys()].filter((k) => k.includes('/forge/'))).toEqual([]);
    expect(tp.Resources[logicalIdOf(plain, plain.secureApi.appFunction.function)].Properties.Environment.Variables[ENV.forgeAppId]).toBeUndefined();
  });
});
