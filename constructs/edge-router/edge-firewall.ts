import { Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { WebFirewall, WebFirewallProps } from '../web-firewall';
import { EDGE_REGION } from './edge-region';

/** Props of {@link EdgeFirewall}. */
export type EdgeFirewallProps = WebFirewallProps;

/**
 * The CLOUDFRONT-scope {@link WebFirewall} of the global edge (it must live in us-east-1),
 * logging under the edge key. The `authorization`, `cookie` and `referer` headers and the
 * query string are redacted in the log: Connect tokens travel in the first and the last,
 * and a referer can repeat a `?jwt=` URL.
 */
export class EdgeFirewall extends WebFirewall {
  constructor(scope: Construct, id: string, props: EdgeFirewallProps) {
    const region = Stack.of(scope).region;
    if (!Token.isUnresolved(region) && region !== EDGE_REGION) {
      throw new Error(`EdgeFirewall: found region ${region}; expected ${EDGE_REGION}, the only region of CLOUDFRONT-scope web ACLs`);
    }
    super(scope, id, props, 'CLOUDFRONT');
  }
}
