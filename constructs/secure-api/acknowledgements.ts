import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { MIN_REASON_LENGTH, acknowledge } from '../acknowledge';
import { AppFunction } from '../app-function';

/** Acknowledges the findings inherent to the API's design, each on the resource it flags. */
export function acknowledgeApiFindings(api: apigw.RestApi, stage: apigw.Stage): void {
  const stageL1 = stage.node.defaultChild!;
  acknowledge(
    stageL1,
    'Caching is off on purpose: every Connect token is bound to one request by its qsh and every response is ' +
      'tenant-specific (Cache-Control: no-store), so no response or authorization may be reused; nothing is cached to encrypt.',
    'HIPAA.Security::HIPAA.Security-APIGWCacheEnabledAndEncrypted',
    'NIST.800.53.R5::NIST.800.53.R5-APIGWCacheEnabledAndEncrypted',
    'PCI.DSS.321::PCI.DSS.321-APIGWCacheEnabledAndEncrypted',
  );
  acknowledge(
    stageL1,
    'A stage client certificate authenticates API Gateway to HTTP backends; every integration here is a Lambda proxy ' +
      'invoked over the AWS API with a resource policy scoped to this API. Clients reach the API over TLS 1.2+ on the custom domain only.',
    'HIPAA.Security::HIPAA.Security-APIGWSSLEnabled',
    'NIST.800.53.R5::NIST.800.53.R5-APIGWSSLEnabled',
    'PCI.DSS.321::PCI.DSS.321-APIGWSSLEnabled',
  );
  const cloudWatchRole = api.node.tryFindChild('CloudWatchRole');
  if (cloudWatchRole) {
    acknowledge(
      cloudWatchRole.node.defaultChild!,
      'This is the account-level role API Gateway assumes to write access and execution logs; AWS maintains ' +
        'AmazonAPIGatewayPushToCloudWatchLogs for exactly this purpose and the role trusts apigateway.amazonaws.com only.',
      'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
    );
  }
  for (const c of api.node.findAll()) {
    if (c instanceof apigw.CfnMethod) {
      acknowledge(
        c,
        'The API authenticates Atlassian Connect requests (HS256 JWT with qsh, or Atlassian-signed RS256 installs) ' +
          'with Lambda REQUEST authorizers on every method; Cognito is not the identity provider of Atlassian products.',
        'AwsSolutions::AwsSolutions-COG4',
      );
    }
    if (c instanceof lambda.CfnPermission) acknowledgeInvokePermission(c);
  }
}

const INSTALL_KEYS_REASON =
  "It must fetch Atlassian's public install keys from connect-install-keys.atlassian.com, and holds no data: " +
  'no table, key or secret permission, and no tenant data in its environment; the functions that hold data run in an isolated VPC.';

/** Why the Forge authorizer runs outside the VPC. */
export const FORGE_KEYS_REASON =
  "It must fetch Forge's public signing keys from forge.cdn.prod.atlassian-dev.net (the only URL its key set reads), and " +
  'holds no data: no table, key or secret permission, and no tenant data in its environment; the functions that hold data run in an isolated VPC.';

/** Acknowledges the findings inherent to a function API Gateway invokes, on its L1. */
export function acknowledgeFunctionFindings(fn: AppFunction, network: 'inside' | 'outside', outsideReason = INSTALL_KEYS_REASON): void {
  fn.acknowledgeSynchronousOnly(
    'Invoked synchronously by API Gateway only: a failed invocation returns an error to the caller (Atlassian ' +
      'retries lifecycle hooks), so no event is lost and a dead-letter queue would never receive one.',
  );
  if (network === 'outside') fn.acknowledgeOutsideVpc(outsideReason);
  for (const c of fn.function.node.findAll()) if (c instanceof lambda.CfnPermission) acknowledgeInvokePermission(c);
}

const acknowledged = new WeakSet<IConstruct>();
function acknowledgeInvokePermission(permission: lambda.CfnPermission): void {
  if (acknowledged.has(permission)) return;
  acknowledged.add(permission);
  acknowledge(
    permission,
    'The principal is apigateway.amazonaws.com and SourceArn limits it to this API\'s own method or authorizer ARN; ' +
      'the Control Tower rule accepts only literal or Ref/GetAtt values and cannot evaluate the Fn::Join that builds that ARN.',
    'cdk-validator-cfnguard::lambda_function_public_access_prohibited_check',
  );
}

/**
 * Template metadata key of an API method that has no API Gateway authorizer because its
 * handler authenticates every request itself; the value says how.
 */
export const AUTHENTICATED_IN_HANDLER = 'cdk-residency:authenticated-in-handler';

/**
 * Marks an API method that has no API Gateway authorizer because the function behind it
 * authenticates every request itself (a Forge Invocation Token verified in the handler, say),
 * and says how. The statement is written into the method's template Metadata, where
 * `AtlassianAppSecurity-APIGWMethodAuthorization` accepts it and reviewers read it.
 * @throws Error when `how` is shorter than {@link MIN_REASON_LENGTH}
 */
export function markAuthenticatedInHandler(method: apigw.Method | apigw.CfnMethod, how: string): void {
  const cfn = method instanceof apigw.Method ? (method.node.defaultChild as apigw.CfnMethod) : method;
  if (how.trim().length < MIN_REASON_LENGTH) {
    throw new Error(`markAuthenticatedInHandler: found a statement of ${how.trim().length} characters on ${cfn.node.path}; expected at least ${MIN_REASON_LENGTH} saying how the handler authenticates`);
  }
  cfn.addMetadata(AUTHENTICATED_IN_HANDLER, how);
}
