import { Duration } from 'aws-cdk-lib';
import { STATEFUL_REMOVAL_POLICY } from '../removal-policy';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { routeSpecs } from '../../runtime/app/define-app';
import { apiGatewayPath } from '../../runtime/app/route-path';
import { RouteAuth, RouteSpec } from '../../runtime/app/routes';
import { ENV } from '../../runtime/lambda/environment';
import { AppFunction } from '../app-function';
import { AppEntry, DEFAULT_APP_ENTRY, RUNTIME_SOURCE, loadAppEntry, loadableAppEntry, runtimeAlias, writeAppHandlerEntry } from '../app-entry';
import { handlerEntry } from '../app-function/handler-entry';
import { AppSecrets } from '../app-secrets';
import { PrivateNetwork } from '../private-network';
import { RealmLogGroup } from '../realm-log-group';
import { TenantAccessRole } from '../tenant-access';
import { ACCESS_LOG_FORMAT } from './access-log';
import { FORGE_KEYS_REASON, acknowledgeApiFindings, acknowledgeFunctionFindings } from './acknowledgements';
import { ApiDomain } from './domain';
import { addGatewayResponses } from './gateway-responses';
import { AUTHORIZER_TABLE_ACTIONS, dataKeyStatement, secretStatements, tableStatements } from './permissions';
import { ApiFirewall, ApiFirewallProps } from './waf';
import { keepDeploymentIdOncePrepared } from './deployment-id';

export * from './access-log';
export * from './domain';
export * from './gateway-responses';
export * from './permissions';
export * from './waf';

/** The Lambda entry files of a {@link SecureApi}'s authorizers; each exports `handler` (the app function's is generated from {@link SecureApiProps.app}). */
export interface SecureApiHandlers {
  /** The REQUEST authorizer for Connect JWTs (HS256 + qsh against the tenant store). */
  readonly connectAuthorizer: string;
  /** The REQUEST authorizer for Atlassian's signed installs (RS256, public key fetched by kid). */
  readonly installAuthorizer: string;
  /** The REQUEST authorizer for Forge Invocation Tokens (RS256, Forge's key set), when the API serves a Forge remote. */
  readonly forgeAuthorizer: string;
}

/** The handlers shipped beside this construct (TypeScript sources; see {@link handlerEntry}). */
export const DEFAULT_HANDLERS: SecureApiHandlers = {
  connectAuthorizer: handlerEntry(__dirname, 'connect-authorizer'),
  installAuthorizer: handlerEntry(__dirname, 'install-authorizer'),
  forgeAuthorizer: handlerEntry(__dirname, 'forge-authorizer'),
};

/** Props of {@link SecureApi}. */
export interface SecureApiProps {
  /** The Atlassian app key (encryption context `app`, env `RESIDENCY_APP_KEY`). */
  readonly appKey: string;
  /** The realm that owns the stack (encryption context `realm`, env `RESIDENCY_REALM`). */
  readonly realm: string;
  /** This realm's base URL; its path, if any, is the base path for qsh. */
  readonly baseUrl: string;
  /** Every base URL of the app (Global's and each realm's): the audiences of signed installs. */
  readonly baseUrls: readonly string[];
  /** The host names the API serves (one per realm of the stack), each inside `hostedZone`. */
  readonly hostnames: readonly string[];
  /** The Route 53 zone of the host names. */
  readonly hostedZone: route53.IHostedZone;
  /** The realm key: tenant data keys, the table, secrets, logs and function environments. */
  readonly encryptionKey: kms.IKey;
  /** The tenant table (encrypted with `encryptionKey`). */
  readonly tenantTable: dynamodb.ITable;
  /** The data bucket behind `tenant.objects` (tenant sessions reach their own prefix). @default - none: object calls fail */
  readonly dataBucket?: s3.IBucket;
  /** The private network the data functions run in. */
  readonly network: PrivateNetwork;
  /** How long API, WAF and function log events are kept. */
  readonly logRetention: logs.RetentionDays;
  /** Days an uninstalled tenant is kept before its data key is deleted. */
  readonly shredAfterDays: number;
  /**
   * App-level secrets the app function may read (encrypted with `encryptionKey`).
   * @default - none
   */
  readonly appSecrets?: readonly secretsmanager.ISecret[];
  /**
   * Prefix of the app secrets' names (`<appKey>/<realm>/`), passed to the app function.
   * @default AppSecrets.prefixOf(appKey, realm)
   */
  readonly secretPrefix?: string;
  /**
   * The Forge app whose remote this API also is (its UUID or ARI). With it, the API serves
   * `FORGE_APP_ROUTES` (the Forge migration hooks) behind a Forge authorizer.
   * @default - no Forge remote: `forge` routes are refused at synthesis
   */
  readonly forgeAppId?: string;
  /**
   * The vendor's app: its module's routes (`routeSpecs`, with the Forge migration hooks when
   * `forgeAppId` is given) become the API's methods, each behind exactly its authorizer
   * (`install`: install, `forge`: Forge, `connect`/`context`: Connect), and the module is
   * bundled into the app function. Loaded at synthesis; a bad module throws an `AppEntryError`.
   * @default - the notes example ({@link DEFAULT_APP_ENTRY})
   */
  readonly app?: AppEntry;
  /**
   * The Lambda entry files.
   * @default DEFAULT_HANDLERS
   */
  readonly handlers?: Partial<SecureApiHandlers>;
  /**
   * The stage name (it appears in the execution log group's name, not in URLs).
   * @default 'live'
   */
  readonly stageName?: string;
  /**
   * Steady-state requests per second the stage accepts, across all clients.
   * @default 100
   */
  readonly throttlingRateLimit?: number;
  /**
   * Burst of requests the stage accepts above the rate.
   * @default 200
   */
  readonly throttlingBurstLimit?: number;
  /**
   * Concurrent executions reserved for (and capped at) each of its functions ({@link AppFunctionProps.reservedConcurrentExecutions}).
   * @default - none reserved
   */
  readonly reservedConcurrency?: number;
  /**
   * Requests one source IP may send in 5 minutes before WAF blocks it, edge traffic included (see {@link ApiFirewallProps}).
   * @default 20000
   */
  readonly wafRateLimitPerIp?: number;
  /**
   * Requests one viewer of the global edge may send in 5 minutes before WAF blocks it.
   * @default 2000
   */
  readonly wafRateLimitPerClient?: number;
  /**
   * Whether this API creates the region's API Gateway account setting (`AWS::ApiGateway::Account`) and its
   * CloudWatch Logs role. The setting is one per account and region: give `false` to every API of a region but one,
   * and make their stacks depend on the stack of that one, so the setting exists before their stages log.
   * @default true
   */
  readonly ownsApiGatewayAccount?: boolean;
}

/**
 * The realm's API: a regional REST API reachable only on its custom domains (TLS 1.2+,
 * the execute-api endpoint disabled), behind a WAF, with JSON access logs and execution
 * logs (no data trace) under the realm key, X-Ray tracing and throttling. Every route of
 * the app is a method with a Lambda REQUEST authorizer in front of one app function;
 * API Gateway's own refusals carry the security headers and say nothing.
 *
 * The app function and the Connect authorizer hold tenant data and run in the private
 * network. The install authorizer must reach Atlassian's key host, so it runs outside
 * the network and holds no data permission at all.
 */
export class SecureApi extends Construct {
  /** The REST API. */
  public readonly api: apigw.RestApi;
  /** The deployed stage. */
  public readonly stage: apigw.Stage;
  /** The app function: lifecycle hooks and app routes. */
  public readonly appFunction: AppFunction;
  /** The role of the app function's tenant sessions: the only way it reaches tenant data. */
  public readonly tenantAccess: TenantAccessRole;
  /** The Connect JWT authorizer's function (reads tenants). */
  public readonly connectAuthorizerFunction: AppFunction;
  /** The signed-install authorizer's function (no data permissions, outside the network). */
  public readonly installAuthorizerFunction: AppFunction;
  /** The authorizer of every `connect` and `context` route. */
  public readonly connectAuthorizer: apigw.RequestAuthorizer;
  /** The authorizer of every `install` route. */
  public readonly installAuthorizer: apigw.RequestAuthorizer;
  /** The Forge authorizer's function, when the API serves a Forge remote (no data permissions, outside the network). */
  public readonly forgeAuthorizerFunction?: AppFunction;
  /** The authorizer of every `forge` route, when the API serves a Forge remote. */
  public readonly forgeAuthorizer?: apigw.RequestAuthorizer;
  /** The custom domains, certificate and alias records. */
  public readonly domain: ApiDomain;
  /** The WAF web ACL in front of the stage, and its logs. */
  public readonly firewall: ApiFirewall;
  /** The stage's access log group. */
  public readonly accessLogGroup: RealmLogGroup;
  /** The stage's execution log group (`API-Gateway-Execution-Logs_<restApiId>/<stage>`), created before API Gateway would. */
  public readonly executionLogGroup: RealmLogGroup;

  constructor(scope: Construct, id: string, props: SecureApiProps) {
    super(scope, id);
    const key = props.encryptionKey;
    const handlers = { ...DEFAULT_HANDLERS, ...props.handlers };
    const stageName = props.stageName ?? 'live';
    if (!props.baseUrls.includes(props.baseUrl)) {
      throw new Error(`SecureApi ${this.node.path}: found baseUrl ${props.baseUrl} outside baseUrls (${props.baseUrls.join(', ')}); expected it among them`);
    }

    const appEntry = props.app?.entry ?? DEFAULT_APP_ENTRY;
    const routes = routeSpecs(loadAppEntry(loadableAppEntry(appEntry), `app.entry ${appEntry}`), { forgeRemote: props.forgeAppId !== undefined });
    if (props.forgeAppId === undefined && routes.some((r) => r.auth === 'forge')) {
      throw new Error(`SecureApi ${this.node.path}: found forge routes without forgeAppId; expected the Forge app id whose invocation tokens they take`);
    }
    // Route data only (no vendor code): what each authorizer checks a request's route against.
    const routesFor = (...auths: RouteAuth[]) => ({ [ENV.routes]: JSON.stringify(routes.filter((r) => auths.includes(r.auth)).map(authorizerRoute)) });
    const common = {
      [ENV.appKey]: props.appKey,
      [ENV.realm]: props.realm,
      [ENV.baseUrl]: props.baseUrl,
      [ENV.baseUrls]: JSON.stringify(props.baseUrls),
    };
    const tenantData = {
      ...common,
      [ENV.tableName]: props.tenantTable.tableName,
      [ENV.keyArn]: key.keyArn,
      [ENV.shredAfterDays]: String(props.shredAfterDays),
    };
    const inNetwork = { vpc: props.network.vpc, vpcSubnets: props.network.subnets, securityGroups: [props.network.functionSecurityGroup] };
    const fn = { encryptionKey: key, logRetention: props.logRetention, reservedConcurrentExecutions: props.reservedConcurrency };

    this.appFunction = new AppFunction(this, 'App', {
      ...fn,
      ...inNetwork,
      entry: writeAppHandlerEntry(appEntry),
      // The vendor module and the generated entry import the runtime by one specifier: one copy in the bundle.
      esbuildArgs: runtimeAlias(RUNTIME_SOURCE),
      description: 'cdk-residency: lifecycle hooks and app routes',
      // Longer than the functions it waits on (directory relay 8 s, migration 12 s); API Gateway stops at 29 s.
      timeout: Duration.seconds(15),
      environment: {
        ...tenantData,
        [ENV.secretPrefix]: props.secretPrefix ?? AppSecrets.prefixOf(props.appKey, props.realm),
        ...(props.forgeAppId === undefined ? {} : { [ENV.forgeAppId]: props.forgeAppId }),
      },
    });
    // No table, bucket or data-key permission of its own: tenant data goes through tenant sessions.
    this.tenantAccess = new TenantAccessRole(this, 'TenantAccess', {
      assumedBy: this.appFunction.role,
      table: props.tenantTable,
      encryptionKey: key,
      appKey: props.appKey,
      realm: props.realm,
      bucket: props.dataBucket,
    });
    this.tenantAccess.grantAssume(this.appFunction.role);
    this.appFunction.function.addEnvironment(ENV.tenantRoleArn, this.tenantAccess.role.roleArn);
    if (props.dataBucket) this.appFunction.function.addEnvironment(ENV.bucketName, props.dataBucket.bucketName);
    const secretReads = secretStatements(this, props.appSecrets ?? [], key);
    if (secretReads.length > 0) this.appFunction.addToDataPolicy(...secretReads);
    this.connectAuthorizerFunction = new AppFunction(this, 'ConnectAuthorizerFunction', {
      ...fn,
      ...inNetwork,
      entry: handlers.connectAuthorizer,
      description: 'cdk-residency: verifies Connect JWTs (HS256 + qsh)',
      environment: { ...tenantData, ...routesFor('connect', 'context') },
    });
    this.connectAuthorizerFunction.addToDataPolicy(
      ...tableStatements(this, props.tenantTable, key, AUTHORIZER_TABLE_ACTIONS),
      dataKeyStatement(key, props.appKey, props.realm, ['kms:Decrypt']),
    );
    this.installAuthorizerFunction = new AppFunction(this, 'InstallAuthorizerFunction', {
      ...fn,
      entry: handlers.installAuthorizer,
      description: 'cdk-residency: verifies Atlassian signed installs (RS256)',
      environment: { ...common, ...routesFor('install') },
    });

    const ownsAccount = props.ownsApiGatewayAccount ?? true;
    this.accessLogGroup = new RealmLogGroup(this, 'AccessLogs', { encryptionKey: key, retention: props.logRetention });
    this.api = new apigw.RestApi(this, 'Api', {
      restApiName: `${props.appKey} ${props.realm}`,
      description: `cdk-residency: ${props.appKey} for realm ${props.realm}`,
      endpointConfiguration: { types: [apigw.EndpointType.REGIONAL] },
      disableExecuteApiEndpoint: true,
      // The account-wide role API Gateway logs with; kept when the stack goes, as other APIs of the region use it.
      cloudWatchRole: ownsAccount,
      cloudWatchRoleRemovalPolicy: ownsAccount ? STATEFUL_REMOVAL_POLICY : undefined,
      deployOptions: {
        stageName,
        accessLogDestination: new apigw.LogGroupLogDestination(this.accessLogGroup.logGroup),
        accessLogFormat: ACCESS_LOG_FORMAT,
        // ERROR only, and never data trace: request bodies carry shared secrets (installed hook), headers and queries carry tokens.
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        tracingEnabled: true,
        metricsEnabled: true,
        throttlingRateLimit: props.throttlingRateLimit ?? 100,
        throttlingBurstLimit: props.throttlingBurstLimit ?? 200,
      },
    });
    this.stage = this.api.deploymentStage;
    keepDeploymentIdOncePrepared(this.api);
    // RestApi always outputs the execute-api URL, which is disabled here: an output pointing nowhere misleads operators.
    this.api.node.tryRemoveChild('Endpoint');
    this.executionLogGroup = new RealmLogGroup(this, 'ExecutionLogs', {
      encryptionKey: key,
      retention: props.logRetention,
      logGroupName: `API-Gateway-Execution-Logs_${this.api.restApiId}/${stageName}`,
    });
    this.stage.node.addDependency(this.executionLogGroup);

    // Result caching off: a Connect token's qsh binds it to one method, path and query, so an
    // authorization must never be reused for another request. Without caching, API Gateway
    // needs no identity source, and the token may come in the Authorization header or as ?jwt=.
    this.connectAuthorizer = this.requestAuthorizer('ConnectAuthorizer', this.connectAuthorizerFunction);
    this.installAuthorizer = this.requestAuthorizer('InstallAuthorizer', this.installAuthorizerFunction);
    if (props.forgeAppId !== undefined) {
      this.forgeAuthorizerFunction = new AppFunction(this, 'ForgeAuthorizerFunction', {
        ...fn,
        entry: handlers.forgeAuthorizer,
        description: 'cdk-residency: verifies Forge Invocation Tokens (RS256)',
        environment: { ...common, [ENV.forgeAppId]: props.forgeAppId, ...routesFor('forge') },
      });
      this.forgeAuthorizer = this.requestAuthorizer('ForgeAuthorizer', this.forgeAuthorizerFunction);
    }

    const integration = new apigw.LambdaIntegration(this.appFunction.function, { proxy: true, allowTestInvoke: false });
    const validator = this.api.addRequestValidator('Validator', { validateRequestBody: true, validateRequestParameters: true });
    const jsonObject = this.api.addModel('JsonObject', {
      contentType: 'application/json',
      description: 'Any JSON object',
      schema: { schema: apigw.JsonSchemaVersion.DRAFT4, title: 'JsonObject', type: apigw.JsonSchemaType.OBJECT },
    });
    for (const route of routes) {
      this.api.root.resourceForPath(apiGatewayPath(route.path)).addMethod(route.method, integration, {
        authorizationType: apigw.AuthorizationType.CUSTOM,
        authorizer: route.auth === 'install' ? this.installAuthorizer : route.auth === 'forge' ? this.forgeAuthorizer! : this.connectAuthorizer,
        requestValidator: validator,
        requestModels: route.jsonBody ? { 'application/json': jsonObject } : undefined,
      });
    }
    addGatewayResponses(this.api);

    this.firewall = new ApiFirewall(this, 'Firewall', { encryptionKey: key, logRetention: props.logRetention, rateLimitPerIp: props.wafRateLimitPerIp, rateLimitPerClient: props.wafRateLimitPerClient });
    this.firewall.protect(this.stage);
    this.domain = new ApiDomain(this, 'Domain', { hostnames: props.hostnames, hostedZone: props.hostedZone, stage: this.stage });

    acknowledgeApiFindings(this.api, this.stage);
    for (const f of [this.appFunction, this.connectAuthorizerFunction]) acknowledgeFunctionFindings(f, 'inside');
    acknowledgeFunctionFindings(this.installAuthorizerFunction, 'outside');
    if (this.forgeAuthorizerFunction) acknowledgeFunctionFindings(this.forgeAuthorizerFunction, 'outside', FORGE_KEYS_REASON);
  }

  private requestAuthorizer(id: string, handler: AppFunction): apigw.RequestAuthorizer {
    const authorizer = new apigw.RequestAuthorizer(this, id, {
      handler: handler.function,
      identitySources: [],
      resultsCacheTtl: Duration.seconds(0),
    });
    // CDK renders an empty identity list as ''; leave the property out instead.
    (authorizer.node.defaultChild as apigw.CfnAuthorizer).identitySource = undefined;
    return authorizer;
  }
}

// What an authorizer needs of a route: where it is, how it authenticates, and for Forge which modules
// (and whether only system tokens) may call it. No handler and no vendor code.
function authorizerRoute({ method, path, auth, forgeModules, forgeSystemOnly }: RouteSpec): RouteSpec {
  return { method, path, auth, ...(forgeModules ? { forgeModules } : {}), ...(forgeSystemOnly ? { forgeSystemOnly } : {}) };
}
