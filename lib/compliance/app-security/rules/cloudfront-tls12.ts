import { defineRule, result } from '../../rule-pack';
import { behaviorsOf } from '../behaviors';

// Viewer policies whose minimum is TLS 1.2 or 1.3.
const VIEWER_TLS12_PLUS = /^TLSv1\.[23]_\d{4}$/;

/**
 * A CloudFront distribution speaks TLS 1.2 or newer with viewers (its own certificate, a
 * TLSv1.2_2018-or-newer policy, no plain HTTP) and with its custom origins (HTTPS only, TLSv1.2).
 */
export const CloudFrontTLS12 = defineRule({
  name: 'CloudFrontTLS12',
  resourceTypes: ['AWS::CloudFront::Distribution'],
  info: 'The CloudFront distribution allows plain HTTP or TLS below 1.2 towards viewers or its custom origins.',
  explanation:
    "Atlassian's security requirements refuse TLS 1.0 and 1.1. The default *.cloudfront.net certificate accepts TLSv1, so a custom " +
    'certificate with a TLSv1.2 (or newer) security policy is required; origins must be reached over HTTPS with TLSv1.2.',
  check: ({ props }) => {
    const config = props.DistributionConfig ?? {};
    const findings: string[] = [];
    const viewer = config.ViewerCertificate;
    if (!viewer || viewer.CloudFrontDefaultCertificate === true) findings.push('Viewer::default-certificate');
    else if (!VIEWER_TLS12_PLUS.test(String(viewer.MinimumProtocolVersion))) findings.push(`Viewer::${viewer.MinimumProtocolVersion ?? 'no-minimum'}`);
    for (const b of behaviorsOf(config)) {
      if (b.behavior.ViewerProtocolPolicy !== 'https-only' && b.behavior.ViewerProtocolPolicy !== 'redirect-to-https') findings.push(`Behavior::${b.path}::${b.behavior.ViewerProtocolPolicy ?? 'allow-all'}`);
    }
    for (const origin of Array.isArray(config.Origins) ? config.Origins : []) {
      const custom = origin?.CustomOriginConfig;
      if (!custom) continue;
      const protocols: unknown = custom.OriginSSLProtocols;
      if (custom.OriginProtocolPolicy !== 'https-only') findings.push(`Origin::${origin.Id}::${custom.OriginProtocolPolicy}`);
      else if (!Array.isArray(protocols) || protocols.length === 0 || protocols.some((p) => p !== 'TLSv1.2')) findings.push(`Origin::${origin.Id}::ssl-protocols`);
    }
    return result(findings);
  },
});
