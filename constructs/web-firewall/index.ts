import { ArnFormat, Aws, Fn, Names, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { RealmLogGroup } from '../realm-log-group';

/** The AWS managed rule groups every {@link WebFirewall} runs, in priority order. */
export const MANAGED_RULE_GROUPS = ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesAmazonIpReputationList'] as const;

/** Props of {@link WebFirewall}. */
export interface WebFirewallProps {
  /** The key that encrypts the WAF logs. */
  readonly encryptionKey: kms.IKey;
  /** How long WAF log events are kept. */
  readonly logRetention: logs.RetentionDays;
  /**
   * Requests one client IP may send in any 5 minutes before it is blocked.
   * @default 2000
   */
  readonly rateLimitPerIp?: number;
  /**
   * A second rate limit, per client as a trusted proxy names it in `headerName` (counted by the
   * first IP address in it), for requests that carry the header; requests without it meet the per-IP rule only.
   * @default - none: every request is counted by its source IP only
   */
  readonly rateLimitPerForwardedClient?: ForwardedClientRateLimit;
}

/** A rate limit keyed by the client IP that a proxy in front of the web ACL forwards in a header. */
export interface ForwardedClientRateLimit {
  /** The header that holds the client's address, such as `CloudFront-Viewer-Address`. */
  readonly headerName: string;
  /** Requests one forwarded client may send in any 5 minutes before it is blocked. */
  readonly limit: number;
}

/**
 * Headers no WAF log of the toolkit keeps: Connect tokens travel in `authorization` (and the
 * query, also redacted), sessions in `cookie`, and an iframe page's same-origin requests repeat
 * its `?jwt=` URL in `referer`.
 */
export const REDACTED_HEADERS: readonly string[] = ['authorization', 'cookie', 'referer'];

/**
 * A WAFv2 web ACL of `scope`: the AWS managed Common, Known Bad Inputs and Amazon IP
 * Reputation rule groups and a rate limit per client IP, with every request logged to a
 * log group under the given key, the query string and {@link REDACTED_HEADERS} redacted.
 */
export class WebFirewall extends Construct {
  /** The web ACL. */
  public readonly webAcl: wafv2.CfnWebACL;
  /** The log group receiving the WAF logs (its name starts `aws-waf-logs-`, as WAF requires). */
  public readonly logGroup: RealmLogGroup;
  /** The logging configuration of {@link webAcl}. */
  public readonly loggingConfiguration: wafv2.CfnLoggingConfiguration;

  constructor(scope: Construct, id: string, props: WebFirewallProps, aclScope: 'REGIONAL' | 'CLOUDFRONT') {
    super(scope, id);
    const metric = (name: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({ cloudWatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: true });
    this.webAcl = new wafv2.CfnWebACL(this, 'Resource', {
      scope: aclScope,
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
        ...(props.rateLimitPerForwardedClient === undefined ? [] : [forwardedClientRule(props.rateLimitPerForwardedClient, MANAGED_RULE_GROUPS.length + 1, metric('RateLimitPerClient'))]),
      ],
    });

    // A fixed name (WAF needs the prefix) made unique per stack instance by the stack id's UUID,
    // so a retained group from a deleted stack never blocks a new deployment.
    const logGroupName = `aws-waf-logs-${Names.uniqueResourceName(this, { maxLength: 64, separator: '-' })}-${Fn.select(2, Fn.split('/', Aws.STACK_ID))}`;
    this.logGroup = new RealmLogGroup(this, 'Logs', { encryptionKey: props.encryptionKey, retention: props.logRetention, logGroupName });
    this.loggingConfiguration = new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      // WAF wants the group's ARN without the ':*' that CloudFormation's Arn attribute ends with.
      logDestinationConfigs: [
        Stack.of(this).formatArn({ service: 'logs', resource: 'log-group', resourceName: logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
      ],
      redactedFields: [...REDACTED_HEADERS.map((Name) => ({ singleHeader: { Name } })), { queryString: {} }],
    });
    this.loggingConfiguration.node.addDependency(this.logGroup);
  }
}

/**
 * The per-client rule: counted by the first IP address in the header. A request without the header is not
 * counted (WAF skips the rule), and a value that is no IP address counts as no match: a caller who forges the
 * header only moves between per-client counters and still meets the per-IP rule.
 */
function forwardedClientRule(limit: ForwardedClientRateLimit, priority: number, visibilityConfig: wafv2.CfnWebACL.VisibilityConfigProperty): wafv2.CfnWebACL.RuleProperty {
  return {
    name: 'RateLimitPerClient',
    priority,
    action: { block: {} },
    statement: {
      rateBasedStatement: {
        limit: limit.limit,
        evaluationWindowSec: 300,
        aggregateKeyType: 'FORWARDED_IP',
        forwardedIpConfig: { headerName: limit.headerName, fallbackBehavior: 'NO_MATCH' },
      },
    },
    visibilityConfig,
  };
}
