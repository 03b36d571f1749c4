import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { EDGE_VIEWER_HEADER } from '../edge-router/viewer-header';
import { WebFirewall, WebFirewallProps } from '../web-firewall';

export { MANAGED_RULE_GROUPS } from '../web-firewall';

/**
 * The header that names the viewer of a request that came through the global edge: the edge router
 * sets it to the viewer's bare IP (CloudFront's own `CloudFront-Viewer-Address` carries `ip:port`,
 * which WAF's forwarded-IP parsing is not documented to accept).
 */
export const EDGE_CLIENT_HEADER = EDGE_VIEWER_HEADER;

/** Props of {@link ApiFirewall}. */
export interface ApiFirewallProps extends Omit<WebFirewallProps, 'rateLimitPerForwardedClient' | 'rateLimitPerIp'> {
  /**
   * Requests one source IP may send in any 5 minutes, edge traffic included: every request through the
   * global edge comes from a few CloudFront addresses, shared by many tenants, so this is set well above
   * `rateLimitPerClient`; it also bounds a caller who forges the edge's header.
   * @default 20000
   */
  readonly rateLimitPerIp?: number;
  /**
   * Requests one viewer of the global edge (by {@link EDGE_CLIENT_HEADER}) may send in any 5 minutes.
   * @default 2000
   */
  readonly rateLimitPerClient?: number;
}

/**
 * The REGIONAL {@link WebFirewall} of a realm's API, logging under the realm key with the
 * `authorization`, `cookie` and `referer` headers and the query string redacted. Two rate limits: per source IP for every
 * request, and per edge viewer for requests that came through the global edge, which names the
 * viewer in {@link EDGE_CLIENT_HEADER} (the edge's own CLOUDFRONT web ACL limits each viewer IP too).
 */
export class ApiFirewall extends WebFirewall {
  constructor(scope: Construct, id: string, props: ApiFirewallProps) {
    super(
      scope,
      id,
      {
        encryptionKey: props.encryptionKey,
        logRetention: props.logRetention,
        rateLimitPerIp: props.rateLimitPerIp ?? 20000,
        rateLimitPerForwardedClient: { headerName: EDGE_CLIENT_HEADER, limit: props.rateLimitPerClient ?? 2000 },
      },
      'REGIONAL',
    );
  }

  /** Puts the web ACL in front of `stage`. */
  public protect(stage: apigw.Stage): wafv2.CfnWebACLAssociation {
    return new wafv2.CfnWebACLAssociation(this, 'Association', { resourceArn: stage.stageArn, webAclArn: this.webAcl.attrArn });
  }
}
