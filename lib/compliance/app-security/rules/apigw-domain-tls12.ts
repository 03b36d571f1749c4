import { NagRuleCompliance } from 'cdk-nag';
import { defineRule } from '../../rule-pack';

// TLS_1_2, and the enhanced policies: all of them refuse TLS 1.0 and 1.1.
const TLS12_PLUS = /^(TLS_1_2|SecurityPolicy_TLS1[23]_.+)$/;

/** API Gateway custom domains accept TLS 1.2 or newer only. */
export const APIGWDomainTLS12 = defineRule({
  name: 'APIGWDomainTLS12',
  resourceTypes: ['AWS::ApiGateway::DomainName', 'AWS::ApiGatewayV2::DomainName'],
  info: 'The API Gateway custom domain does not require TLS 1.2 or newer (or does not say which policy it uses).',
  explanation: "Atlassian's security requirements for cloud apps refuse TLS 1.0 and 1.1, and its scanner probes for them.",
  check: ({ resource, props }) => {
    const policies = resource.Type === 'AWS::ApiGateway::DomainName'
      ? [props.SecurityPolicy]
      : (Array.isArray(props.DomainNameConfigurations) ? props.DomainNameConfigurations : [undefined]).map((c: any) => c?.SecurityPolicy);
    return policies.every((p) => typeof p === 'string' && TLS12_PLUS.test(p)) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
});
