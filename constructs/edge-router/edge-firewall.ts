import { ArnFormat, Aws, Fn, Names, Stack, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { RealmLogGroup } from '../realm-log-group';
import { MANAGED_RULE_GROUPS } from '../secure-api/waf';

/** Props of {@link EdgeFirewall}. */
export interface EdgeFirewallProps {
  /** The key that encrypts the WAF logs. */
  readonly encryptionKey: kms.IKey;
  /** How long WAF log events are kept. */
  readonly logRetention: logs.RetentionDays;
  /**
   * Requests one client IP may send in any 5 minutes before it is blocked.
   * @default 2000
   */
  readonly rateLimitPerIp?: number;
}

/**
 * The CLOUDFRONT-scope WAFv2 web ACL of the global edge (it must live in us-east-1): the
 * same AWS managed rule groups as the regional APIs and a rate limit per client IP, with
 * every request logged to a log group under the edge key. The `authorization`, `cookie`
 * and `referer` headers and the query string are redacted in the log: Connect tokens
 * travel in the first and the last, and a referer can repeat a `?jwt=` URL.
 */
export class EdgeFirewall extends Construct {
  /** The web ACL. */
  public readonly webAcl: wafv2.CfnWebACL;
  /** The log group receiving the WAF logs. */
  public readonly logGroup: RealmLogGroup;
  /** The logging configuration of {@link webAcl}. */
  public readonly loggingConfiguration: wafv2.CfnLoggingConfiguration;

  constructor(scope: Construct, id: string, props: EdgeFirewallProps) {
    super(scope, id);
    const region = Stack.of(this).region;
    if (!Token.isUnresolved(region) && region !== 'us-east-1') {
      throw new Error(`EdgeFirewall: found region ${region}; expected us-east-1, the only region of CLOUDFRONT-scope web ACLs`);
    }
    const metric = (name: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({ cloudWatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: true });
    this.webAcl = new wafv2.CfnWebACL(this, 'Resource', {
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: metric(Names.uniqueResourceName(this, { maxLength: 128 })),
      rules: [
        ...MANAGED_RULE_GROUPS.map(
          (name, priority): wafv2.CfnWebACL.RuleProperty => ({
            name,
            priority,
            overrideAction: { none: {} },
            statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
            visibilityConfig: metric(name),
          }),
        ),
        {
          name: 'RateLimitPerIp',
          priority: MANAGED_RULE_GROUPS.length,
          action: { block: {} },
          statement: { rateBasedStatement: { limit: props.rateLimitPerIp ?? 2000, evaluationWindowSec: 300, aggregateKeyType: 'IP' } },
          visibilityConfig: metric('RateLimitPerIp'),
        },
      ],
    });
    const logGroupName = `aws-waf-logs-${Names.uniqueResourceName(this, { maxLength: 64, separator: '-' })}-${Fn.select(2, Fn.split('/', Aws.STACK_ID))}`;
    this.logGroup = new RealmLogGroup(this, 'Logs', { encryptionKey: props.encryptionKey, retention: props.logRetention, logGroupName });
    this.loggingConfiguration = new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      logDestinationConfigs: [
        Stack.of(this).formatArn({ service: 'logs', resource: 'log-group', resourceName: logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
      ],
      redactedFields: [
        { singleHeader: { Name: 'authorization' } },
        { singleHeader: { Name: 'cookie' } },
        { singleHeader: { Name: 'referer' } },
        { queryString: {} },
      ],
    });
    this.loggingConfiguration.node.addDependency(this.logGroup);
  }
}
