import { NagPackProps } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { PackRule, RulePack } from '../rule-pack';
import * as rules from './rules';

/**
 * The app-security baseline of an Atlassian cloud app: TLS 1.2+ on API Gateway custom
 * domains and CloudFront, HSTS of at least a year with includeSubDomains and the app's
 * header set on every CloudFront response, an authorizer (or a handler that authenticates,
 * marked with `markAuthenticatedInHandler`) on every API method, and S3, DynamoDB, log
 * groups and secrets under customer managed keys.
 *
 * A cdk-nag 3 pack: `Validations.of(app).addPlugins(new AtlassianAppSecurityChecks(app))`;
 * findings are acknowledged as `AtlassianAppSecurity::AtlassianAppSecurity-<Rule>`.
 */
export class AtlassianAppSecurityChecks extends RulePack {
  /** The plugin name findings are reported under. */
  public readonly name = 'AtlassianAppSecurity';
  /** The pack's rules. */
  public readonly rules: readonly PackRule[] = [
    rules.APIGWDomainTLS12,
    rules.CloudFrontTLS12,
    rules.CloudFrontHSTS,
    rules.CloudFrontSecurityHeaders,
    rules.APIGWMethodAuthorization,
    rules.S3BucketCMK,
    rules.DynamoDBCMK,
    rules.LogGroupCMK,
    rules.SecretCMK,
  ];

  constructor(scope?: IConstruct, props?: NagPackProps) {
    super(scope, props);
    this.packName = 'AtlassianAppSecurity';
  }
}
