import { defineRule, result } from '../../rule-pack';
import { behaviorsOf, responseHeadersPolicyOf } from '../behaviors';

/** Atlassian's floor for `Strict-Transport-Security` max-age: one year (ATLASSIAN.md, security requirements). */
export const ATLASSIAN_MIN_HSTS_SECONDS = 31_536_000;

/**
 * Every behavior of a CloudFront distribution has a response-headers policy of this app that
 * sets `Strict-Transport-Security` with max-age >= one year and includeSubDomains, overriding the origin.
 */
export const CloudFrontHSTS = defineRule({
  name: 'CloudFrontHSTS',
  resourceTypes: ['AWS::CloudFront::Distribution'],
  info: 'A CloudFront behavior has no response-headers policy setting HSTS with max-age of at least one year and includeSubDomains.',
  explanation:
    "Atlassian's security requirements ask for HSTS with max-age of at least 31536000 seconds; includeSubDomains covers every realm's " +
    'host under the app domain. Overriding the origin makes errors CloudFront generates itself carry it too.',
  check: (view) => {
    const findings: string[] = [];
    for (const b of behaviorsOf(view.props.DistributionConfig ?? {})) {
      const hsts = responseHeadersPolicyOf(b.behavior, view)?.SecurityHeadersConfig?.StrictTransportSecurity;
      const ok = hsts !== undefined && hsts.Override === true && hsts.IncludeSubdomains === true && Number(hsts.AccessControlMaxAgeSec) >= ATLASSIAN_MIN_HSTS_SECONDS;
      if (!ok) findings.push(`Behavior::${b.path}`);
    }
    return result(findings);
  },
});
