import { CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { IConstruct } from 'constructs';
import notes from '../../examples/notes/app';
import { routeSpecs } from '../../runtime/app';
import { ENV } from '../../runtime/lambda/environment';
import { SECURITY_HEADERS } from '../../runtime/http/security-headers';
import { AppFunction } from '../../constructs/app-function';
import { EDGE_CLIENT_HEADER, MANAGED_RULE_GROUPS, gatewayResponseHeaders } from '../../constructs/secure-api';
import { EDGE_VIEWER_HEADER } from '../../constructs/edge-router';
import { parseConfig } from '../../lib/config';
import { RealmStack } from '../../lib/stacks/realm-stack';
import { exampleStacks } from '../helpers/example-app';
import { exampleConfigJson } from '../helpers/example-config';

const { config, stacks, templates } = exampleStacks();
const eu = stacks.find((s) => s.realms[0] === 'EU')!;
const t = templates.get(eu)!;

/** The logical id of a construct's L1 (the construct itself when it is one). */
const id = (stack: Stack, c: IConstruct) => stack.getLogicalId((c instanceof CfnElement ? c : c.node.defaultChild) as CfnElement);
const ref = (logicalId: string) => ({ Ref: logicalId });
const keyArn = (stack: RealmStack) => ({ 'Fn::GetAtt': [id(stack, stack.realmKey.key), 'Arn'] });

function resourcesOf(template: Template, type: string): Array<[string, any]> {
  return Object.entries(template.findResources(type));
}

/** Every statement of the customer-managed policies attached to `fn`'s role. */
function statementsOf(stack: RealmStack, template: Template, fn: AppFunction): any[] {
  const role = template.toJSON().Resources[id(stack, fn.role)];
  const policyIds: string[] = role.Properties.ManagedPolicyArns.map((arn: { Ref: string }) => arn.Ref);
  return policyIds.flatMap((p) => template.toJSON().Resources[p].Properties.PolicyDocument.Statement);
}
const actionsOf = (s: any): string[] => [s.Action].flat();

describe('SecureApi in a realm stack', () => {
  describe('the edge of the API', () => {
    it('serves the realm host name on a regional custom domain with the TLS 1.2 security policy', () => {
      t.resourceCountIs('AWS::ApiGateway::DomainName', 1);
      t.hasResourceProperties('AWS::ApiGateway::DomainName', {
        DomainName: 'eu.app.example.com',
        SecurityPolicy: 'TLS_1_2',
        EndpointConfiguration: { Types: ['REGIONAL'] },
      });
      t.hasResourceProperties('AWS::ApiGateway::BasePathMapping', { Stage: ref(id(eu, eu.secureApi.stage)) });
    });

    it('validates the certificate through the configured hosted zone and aliases the host name to the domain', () => {
      t.hasResourceProperties('AWS::CertificateManager::Certificate', {
        DomainName: 'eu.app.example.com',
        ValidationMethod: 'DNS',
        DomainValidationOptions: [{ DomainName: 'eu.app.example.com', HostedZoneId: config.domain.hostedZone.id }],
      });
      t.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: 'eu.app.example.com.',
        Type: 'A',
        HostedZoneId: config.domain.hostedZone.id,
        AliasTarget: Match.objectLike({ DNSName: { 'Fn::GetAtt': [Match.anyValue(), 'RegionalDomainName'] } }),
      });
    });

    it('disables the default execute-api endpoint of a regional REST API, and outputs no URL of it', () => {
      t.hasResourceProperties('AWS::ApiGateway::RestApi', { DisableExecuteApiEndpoint: true, EndpointConfiguration: { Types: ['REGIONAL'] } });
      expect(JSON.stringify(t.toJSON().Outputs ?? {})).not.toContain('execute-api');
    });

    it('associates a regional web ACL with the stage', () => {
      t.hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'REGIONAL', DefaultAction: { Allow: {} } });
      const association = resourcesOf(t, 'AWS::WAFv2::WebACLAssociation');
      expect(association).toHaveLength(1);
      const { ResourceArn, WebACLArn } = association[0]![1].Properties;
      expect(WebACLArn).toEqual({ 'Fn::GetAtt': [id(eu, eu.secureApi.firewall.webAcl), 'Arn'] });
      // arn:<partition>:apigateway:<region>::/restapis/<api>/stages/<stage>
      expect(ResourceArn['Fn::Join'][1].slice(-4)).toEqual([':apigateway:eu-central-1::/restapis/', ref(id(eu, eu.secureApi.api)), '/stages/', ref(id(eu, eu.secureApi.stage))]);
    });

    it('runs the Common, Known Bad Inputs and IP Reputation rule groups', () => {
      const acl = resourcesOf(t, 'AWS::WAFv2::WebACL')[0]![1];
      const groups = acl.Properties.Rules.filter((r: any) => r.Statement.ManagedRuleGroupStatement).map((r: any) => r.Statement.ManagedRuleGroupStatement);
      expect(groups).toEqual(MANAGED_RULE_GROUPS.map((name) => ({ VendorName: 'AWS', Name: name })));
      expect(MANAGED_RULE_GROUPS).toEqual(['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesAmazonIpReputationList']);
    });

    it("rate-limits each edge viewer by CloudFront's viewer address, and every source IP, edge or not, at a higher limit", () => {
      const acl = resourcesOf(t, 'AWS::WAFv2::WebACL')[0]![1];
      const rates = acl.Properties.Rules.filter((r: any) => r.Statement.RateBasedStatement);
      expect(rates.map((r: any) => [r.Name, r.Action, r.Statement.RateBasedStatement])).toEqual([
        // No scope-down: a forged edge header never takes a request out of the per-IP count.
        ['RateLimitPerIp', { Block: {} }, { AggregateKeyType: 'IP', Limit: 20000, EvaluationWindowSec: 300 }],
        [
          'RateLimitPerClient',
          { Block: {} },
          { AggregateKeyType: 'FORWARDED_IP', ForwardedIPConfig: { HeaderName: EDGE_CLIENT_HEADER, FallbackBehavior: 'NO_MATCH' }, Limit: 2000, EvaluationWindowSec: 300 },
        ],
      ]);
      expect(EDGE_CLIENT_HEADER).toBe(EDGE_VIEWER_HEADER);
      expect(new Set(acl.Properties.Rules.map((r: any) => r.Priority)).size).toBe(acl.Properties.Rules.length);
    });

    it('logs WAF requests to an aws-waf-logs- group with the authorization, cookie and referer headers and the query string redacted (a referer repeats ?jwt=)', () => {
      t.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
        ResourceArn: { 'Fn::GetAtt': [id(eu, eu.secureApi.firewall.webAcl), 'Arn'] },
        RedactedFields: Match.arrayEquals([
          { SingleHeader: { Name: 'authorization' } },
          { SingleHeader: { Name: 'cookie' } },
          { SingleHeader: { Name: 'referer' } },
          { QueryString: {} },
        ]),
      });
      const group = t.toJSON().Resources[id(eu, eu.secureApi.firewall.logGroup.logGroup)];
      expect(JSON.stringify(group.Properties.LogGroupName)).toMatch(/"aws-waf-logs-/);
    });
  });

  describe('authorization', () => {
    const methods = resourcesOf(t, 'AWS::ApiGateway::Method').map(([, m]) => m.Properties);
    const connect = id(eu, eu.secureApi.connectAuthorizer);
    const install = id(eu, eu.secureApi.installAuthorizer);
    const forge = id(eu, eu.secureApi.forgeAuthorizer!);
    // The example names a Forge app, so its API also serves the Forge remote's routes.
    const ROUTES = routeSpecs(notes, { forgeRemote: true });

    it('has one method per app route', () => {
      expect(methods.map((m) => m.HttpMethod).sort()).toEqual(ROUTES.map((r) => r.method).sort());
    });

    it('puts a custom authorizer on every method: install on install routes, Forge on Forge routes, Connect elsewhere', () => {
      const resources = new Map(resourcesOf(t, 'AWS::ApiGateway::Resource').map(([rid, r]) => [rid, r.Properties]));
      const pathOf = (rid: string): string => {
        const r = resources.get(rid)!;
        return `${r.ParentId.Ref ? pathOf(r.ParentId.Ref) : ''}/${r.PathPart}`;
      };
      const seen = methods.map((m) => {
        expect(m.AuthorizationType).toBe('CUSTOM');
        const path = pathOf(m.ResourceId.Ref);
        const route = ROUTES.find((r) => r.method === m.HttpMethod && r.path === path)!;
        expect([path, m.AuthorizerId]).toEqual([path, ref(route.auth === 'install' ? install : route.auth === 'forge' ? forge : connect)]);
        return `${m.HttpMethod} ${path}`;
      });
      expect(seen.sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
      expect(ROUTES.filter((r) => r.auth === 'install').map((r) => r.path)).toEqual(['/lifecycle/installed', '/lifecycle/uninstalled']);
    });

    it('turns authorizer result caching off and declares no identity source (tokens come in the header or the query)', () => {
      const authorizers = resourcesOf(t, 'AWS::ApiGateway::Authorizer').map(([, a]) => a.Properties);
      expect(authorizers).toHaveLength(3);
      for (const a of authorizers) {
        expect(a).toMatchObject({ Type: 'REQUEST', AuthorizerResultTtlInSeconds: 0 });
        expect(a.IdentitySource).toBeUndefined();
      }
    });

    it('validates parameters and bodies, with a JSON object model on every route that takes a JSON body', () => {
      t.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true, ValidateRequestParameters: true });
      const model = resourcesOf(t, 'AWS::ApiGateway::Model')[0]!;
      expect(model[1].Properties).toMatchObject({ ContentType: 'application/json', Schema: { type: 'object' } });
      const withModel = methods.filter((m) => m.RequestModels?.['application/json']?.Ref === model[0]);
      expect(withModel).toHaveLength(ROUTES.filter((r) => r.jsonBody).length);
      for (const m of methods) expect(m.RequestValidatorId).toBeDefined();
    });

    it('sends every request to the app function through a Lambda proxy integration', () => {
      for (const m of methods) {
        expect(m.Integration.Type).toBe('AWS_PROXY');
        expect(JSON.stringify(m.Integration.Uri)).toContain(id(eu, eu.secureApi.appFunction.function));
      }
    });
  });

  describe('gateway responses', () => {
    const responses = resourcesOf(t, 'AWS::ApiGateway::GatewayResponse').map(([, r]) => r.Properties);

    it('answers UNAUTHORIZED with 401 and a body that names no reason', () => {
      const unauthorized = responses.find((r) => r.ResponseType === 'UNAUTHORIZED');
      expect(unauthorized).toMatchObject({ StatusCode: '401', ResponseTemplates: { 'application/json': '{"error":"unauthorized"}' } });
    });

    it('overrides every refusal API Gateway itself sends', () => {
      expect(responses.map((r) => r.ResponseType).sort()).toEqual(
        ['ACCESS_DENIED', 'DEFAULT_4XX', 'DEFAULT_5XX', 'MISSING_AUTHENTICATION_TOKEN', 'THROTTLED', 'UNAUTHORIZED', 'WAF_FILTERED'],
      );
    });

    it('carries every header of SECURITY_HEADERS, as static values, on every gateway response', () => {
      const expected = Object.fromEntries(Object.entries(SECURITY_HEADERS).map(([k, v]) => [`gatewayresponse.header.${k}`, `'${v}'`]));
      expect(Object.keys(expected).length).toBeGreaterThanOrEqual(5);
      for (const r of responses) expect(r.ResponseParameters).toEqual(expected);
    });

    it('refuses a header value holding a single quote, which a quoted static value cannot carry', () => {
      expect(() => gatewayResponseHeaders({ 'Content-Security-Policy': "frame-ancestors 'self'" })).toThrow(/single quote/);
      expect(gatewayResponseHeaders({ 'X-Content-Type-Options': 'nosniff' })).toEqual({ 'X-Content-Type-Options': "'nosniff'" });
    });

    it('gives every body a single error word and no context variable', () => {
      for (const r of responses) {
        const body = r.ResponseTemplates['application/json'];
        expect(Object.keys(JSON.parse(body))).toEqual(['error']);
        expect(body).not.toContain('$context');
      }
    });
  });

  describe('logs and tracing', () => {
    const stage = t.toJSON().Resources[id(eu, eu.secureApi.stage)];

    it('encrypts the access, execution and WAF log groups with the realm key, with the configured retention', () => {
      for (const group of [eu.secureApi.accessLogGroup, eu.secureApi.executionLogGroup, eu.secureApi.firewall.logGroup]) {
        expect(t.toJSON().Resources[id(eu, group.logGroup)].Properties).toMatchObject({ KmsKeyId: keyArn(eu), RetentionInDays: config.retention.logDays });
      }
    });

    it('writes JSON access logs without the query string, headers or tokens', () => {
      const setting = stage.Properties.AccessLogSetting;
      expect(JSON.stringify(setting.DestinationArn)).toContain(id(eu, eu.secureApi.accessLogGroup.logGroup));
      const fields: Record<string, string> = JSON.parse(setting.Format);
      expect(fields).toMatchObject({ requestId: '$context.requestId', status: '$context.status', resource: '$context.resourcePath' });
      for (const v of Object.values(fields)) expect(v).not.toMatch(/querystring|\$context\.path|header|requestOverride|\$input|authorizer\.(claims|token)/i);
    });

    it('pre-creates the execution log group under the name API Gateway uses, before the stage', () => {
      const group = t.toJSON().Resources[id(eu, eu.secureApi.executionLogGroup.logGroup)];
      expect(group.Properties.LogGroupName).toEqual({ 'Fn::Join': ['', ['API-Gateway-Execution-Logs_', ref(id(eu, eu.secureApi.api)), '/live']] });
      expect(stage.DependsOn).toContain(id(eu, eu.secureApi.executionLogGroup.logGroup));
    });

    it('logs executions at ERROR with data trace off, traces with X-Ray and throttles the stage', () => {
      expect(stage.Properties.TracingEnabled).toBe(true);
      expect(stage.Properties.MethodSettings).toEqual([
        expect.objectContaining({ HttpMethod: '*', ResourcePath: '/*', DataTraceEnabled: false, LoggingLevel: 'ERROR', ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 }),
      ]);
    });
  });

  describe('functions', () => {
    const api = eu.secureApi;
    const fns = [api.appFunction, api.connectAuthorizerFunction, api.installAuthorizerFunction];
    const fnProps = (fn: AppFunction) => t.toJSON().Resources[id(eu, fn.function)].Properties;

    it('runs the app and the Connect authorizer in the isolated subnets, and the template has no internet gateway or NAT', () => {
      const isolated = eu.network.vpc.isolatedSubnets.map((s) => ref(id(eu, s)));
      for (const fn of [api.appFunction, api.connectAuthorizerFunction]) {
        expect(fnProps(fn).VpcConfig).toEqual({ SubnetIds: isolated, SecurityGroupIds: [{ 'Fn::GetAtt': [id(eu, eu.network.functionSecurityGroup), 'GroupId'] }] });
      }
      for (const type of ['AWS::EC2::InternetGateway', 'AWS::EC2::NatGateway', 'AWS::EC2::EIP', 'AWS::EC2::EgressOnlyInternetGateway', 'AWS::EC2::VPCGatewayAttachment']) {
        t.resourceCountIs(type, 0);
      }
    });

    it('keeps the install authorizer outside the VPC, with no statement on the table, the key or any secret', () => {
      expect(fnProps(api.installAuthorizerFunction).VpcConfig).toBeUndefined();
      expect(api.installAuthorizerFunction.dataPolicy).toBeUndefined();
      const statements = JSON.stringify(statementsOf(eu, t, api.installAuthorizerFunction));
      for (const forbidden of [id(eu, eu.tenantStore.table), id(eu, eu.realmKey.key), 'dynamodb:', 'kms:', 'secretsmanager:']) {
        expect(statements).not.toContain(forbidden);
      }
      for (const name of [ENV.tableName, ENV.keyArn, ENV.secretPrefix]) expect(fnProps(api.installAuthorizerFunction).Environment.Variables[name]).toBeUndefined();
    });

    it('attaches no inline policy to any function role, only customer-managed policies', () => {
      const roles = new Set(fns.map((fn) => id(eu, fn.role)));
      for (const [, p] of resourcesOf(t, 'AWS::IAM::Policy')) for (const r of p.Properties.Roles) expect(roles.has(r.Ref)).toBe(false);
      for (const fn of fns) {
        const role = t.toJSON().Resources[id(eu, fn.role)].Properties;
        expect(role.Policies).toBeUndefined();
        for (const arn of role.ManagedPolicyArns) expect(t.toJSON().Resources[arn.Ref].Type).toBe('AWS::IAM::ManagedPolicy');
      }
    });

    it('binds every KMS statement to DynamoDB, Secrets Manager or the tenant encryption context', () => {
      for (const fn of fns) {
        for (const s of statementsOf(eu, t, fn).filter((x) => actionsOf(x).some((a) => a.startsWith('kms:')))) {
          expect(s.Resource).toEqual(keyArn(eu));
          const equals = s.Condition.StringEquals;
          const viaService = equals['kms:ViaService'];
          if (viaService) {
            expect(viaService).toMatch(/^(dynamodb|secretsmanager)\.eu-central-1\.amazonaws\.com$/);
            expect(Object.keys(equals).some((k) => k.startsWith('kms:EncryptionContext:'))).toBe(true);
            expect(actionsOf(s)).toEqual(['kms:Decrypt']);
          } else {
            expect(equals).toEqual({ 'kms:EncryptionContext:app': config.app.key, 'kms:EncryptionContext:realm': 'EU' });
            expect(s.Condition.Null).toEqual({ 'kms:EncryptionContext:tenant': 'false' });
          }
        }
      }
    });

    it('gives the app no table, bucket or KMS permission of its own: only starting tenant sessions of its tenant-access role', () => {
      const actions = statementsOf(eu, t, api.appFunction).flatMap(actionsOf);
      expect(actions.filter((a) => /^(dynamodb|s3):/.test(a))).toEqual([]);
      // Its one kms:Decrypt is the app secrets', through Secrets Manager only.
      for (const s of statementsOf(eu, t, api.appFunction).filter((x) => actionsOf(x).some((a) => a.startsWith('kms:')))) {
        expect(s.Condition.StringEquals['kms:ViaService']).toBe('secretsmanager.eu-central-1.amazonaws.com');
      }
      const assume = t.toJSON().Resources[id(eu, api.tenantAccess.node.findChild('AssumePolicy'))].Properties;
      expect(assume.Roles).toEqual([ref(id(eu, api.appFunction.role))]);
      expect(assume.PolicyDocument.Statement).toEqual([expect.objectContaining({ Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: { 'Fn::GetAtt': [id(eu, api.tenantAccess.role), 'Arn'] } })]);
    });

    it('lets the app read exactly the stack\'s app secrets', () => {
      const read = statementsOf(eu, t, api.appFunction).find((s) => actionsOf(s).includes('secretsmanager:GetSecretValue'));
      expect([read.Resource].flat()).toEqual([...eu.appSecrets.secrets.values()].map((s) => ref(id(eu, s))));
    });

    it('lets the Connect authorizer only read tenant items and unwrap data keys', () => {
      const actions = statementsOf(eu, t, api.connectAuthorizerFunction).flatMap(actionsOf).filter((a) => !/^(logs|xray|ec2):/.test(a));
      expect([...new Set(actions)].sort()).toEqual(['dynamodb:GetItem', 'dynamodb:Query', 'kms:Decrypt']);
    });

    it('allows "*" resources only for X-Ray and network-interface actions, which support no resource ARNs', () => {
      for (const fn of fns) {
        for (const s of statementsOf(eu, t, fn).filter((x) => [x.Resource].flat().includes('*'))) {
          for (const a of actionsOf(s)) expect(a).toMatch(/^(xray:Put|ec2:)/);
        }
      }
    });

    it('passes the realm settings under the ENV names, the data settings only to the data functions', () => {
      const app = fnProps(api.appFunction).Environment.Variables;
      expect(app).toMatchObject({
        [ENV.appKey]: config.app.key,
        [ENV.realm]: 'EU',
        [ENV.baseUrl]: 'https://eu.app.example.com',
        [ENV.tableName]: ref(id(eu, eu.tenantStore.table)),
        [ENV.keyArn]: keyArn(eu),
        [ENV.secretPrefix]: `${config.app.key}/eu/`,
        [ENV.shredAfterDays]: String(config.tenants.shredAfterDays),
        [ENV.bucketName]: ref(id(eu, eu.dataBucket.bucket)),
      });
      expect(JSON.parse(app[ENV.baseUrls])).toEqual([config.globalBaseUrl, ...config.realms.map((r) => r.baseUrl)]);
      expect(Object.keys(fnProps(api.installAuthorizerFunction).Environment.Variables).sort()).toEqual(
        [ENV.appKey, ENV.baseUrl, ENV.baseUrls, ENV.realm, ENV.routes].sort(),
      );
    });

    it('runs every function on ARM64 and the one runtime, traced, reserving no concurrency by default, and the environment under the realm key', () => {
      for (const fn of fns) {
        expect(fnProps(fn)).toMatchObject({
          Architectures: ['arm64'],
          Runtime: 'nodejs24.x',
          TracingConfig: { Mode: 'Active' },
          KmsKeyArn: keyArn(eu),
          LoggingConfig: { LogFormat: 'JSON', LogGroup: ref(id(eu, fn.logGroup.logGroup)) },
        });
        expect(fnProps(fn).ReservedConcurrentExecutions).toBeUndefined();
      }
    });
  });
});

describe('SecureApi of a stack shared by EU and DE', () => {
  const json = exampleConfigJson();
  json.realms.DE = { shareStackWith: 'EU' };
  const shared = exampleStacks(parseConfig(json, 'shared.json'));
  const stack = shared.stacks.find((s) => s.realms.includes('DE'))!;
  const template = shared.templates.get(stack)!;

  it('serves both realm host names from the one stack', () => {
    expect(stack.realms).toEqual(['EU', 'DE']);
    const domains = resourcesOf(template, 'AWS::ApiGateway::DomainName').map(([, d]) => d.Properties.DomainName).sort();
    expect(domains).toEqual(['de.app.example.com', 'eu.app.example.com']);
    template.resourceCountIs('AWS::ApiGateway::BasePathMapping', 2);
    template.resourceCountIs('AWS::Route53::RecordSet', 2);
  });

  it('covers both host names with one certificate', () => {
    template.resourceCountIs('AWS::CertificateManager::Certificate', 1);
    template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'eu.app.example.com',
      SubjectAlternativeNames: ['de.app.example.com'],
    });
  });

  it('keeps the owner realm as the encryption context and base URL of the functions', () => {
    const vars = template.toJSON().Resources[id(stack, stack.secureApi.appFunction.function)].Properties.Environment.Variables;
    expect(vars).toMatchObject({ [ENV.realm]: 'EU', [ENV.baseUrl]: 'https://eu.app.example.com' });
  });
});
