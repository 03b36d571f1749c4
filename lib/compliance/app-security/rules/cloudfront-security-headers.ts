import { SECURITY_HEADERS } from '../../../../runtime/http/security-headers';
import { defineRule, result } from '../../rule-pack';
import { behaviorsOf, responseHeadersPolicyOf } from '../behaviors';

/**
 * Every behavior of a CloudFront distribution has a response-headers policy of this app that
 * sets each header of the app's header set (`SECURITY_HEADERS`, runtime/http/security-headers.ts)
 * to its value, overriding the origin. HSTS is {@link CloudFrontHSTS}'s.
 */
export const CloudFrontSecurityHeaders = defineRule({
  name: 'CloudFrontSecurityHeaders',
  resourceTypes: ['AWS::CloudFront::Distribution'],
  info: "A CloudFront behavior's response-headers policy does not set every header of the app's security header set to its value.",
  explanation:
    'Every response, errors included, must carry the header set Atlassian checks (Cache-Control no-cache, no-store; nosniff; a ' +
    "Referrer-Policy; a CSP framing the app only in Atlassian's products). The values come from SECURITY_HEADERS, the one source.",
  check: (view) => {
    const findings: string[] = [];
    for (const b of behaviorsOf(view.props.DistributionConfig ?? {})) {
      const policy = responseHeadersPolicyOf(b.behavior, view);
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
        if (name.toLowerCase() === 'strict-transport-security') continue;
        if (!sets(policy, name, value)) findings.push(`Behavior::${b.path}::${name}`);
      }
    }
    return result(findings);
  },
});

// Whether the policy config sets header `name` to `value`, overriding the origin.
function sets(policy: Record<string, any> | undefined, name: string, value: string): boolean {
  if (!policy) return false;
  const security = policy.SecurityHeadersConfig ?? {};
  switch (name.toLowerCase()) {
    case 'x-content-type-options':
      return value.toLowerCase() === 'nosniff' && security.ContentTypeOptions?.Override === true;
    case 'referrer-policy':
      return security.ReferrerPolicy?.Override === true && security.ReferrerPolicy?.ReferrerPolicy === value;
    case 'content-security-policy':
      return security.ContentSecurityPolicy?.Override === true && security.ContentSecurityPolicy?.ContentSecurityPolicy === value;
    default: {
      const items: any[] = Array.isArray(policy.CustomHeadersConfig?.Items) ? policy.CustomHeadersConfig.Items : [];
      return items.some((h) => String(h?.Header).toLowerCase() === name.toLowerCase() && h?.Value === value && h?.Override === true);
    }
  }
}
