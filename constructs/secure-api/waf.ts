import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { WebFirewall, WebFirewallProps } from '../web-firewall';

export { MANAGED_RULE_GROUPS } from '../web-firewall';

/**
 * Props of {@link ApiFirewall}. Atlassian's lifecycle callbacks for many tenants come from
 * few addresses: keep room for them in `rateLimitPerIp`.
 */
export type ApiFirewallProps = WebFirewallProps;

/**
 * The REGIONAL {@link WebFirewall} of a realm's API, logging under the realm key with the
 * `authorization` header and the query string redacted.
 */
export class ApiFirewall extends WebFirewall {
  constructor(scope: Construct, id: string, props: ApiFirewallProps) {
    super(scope, id, props, 'REGIONAL', ['authorization']);
  }

  /** Puts the web ACL in front of `stage`. */
  public protect(stage: apigw.Stage): wafv2.CfnWebACLAssociation {
    return new wafv2.CfnWebACLAssociation(this, 'Association', { resourceArn: stage.stageArn, webAclArn: this.webAcl.attrArn });
  }
}
