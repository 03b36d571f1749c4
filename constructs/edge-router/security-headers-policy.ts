import { Duration } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { Construct } from 'constructs';

/** Props of {@link SecurityHeadersPolicy}. */
export interface SecurityHeadersPolicyProps {
  /** The header set every response must carry (name -> value), such as `SECURITY_HEADERS`. */
  readonly headers: Readonly<Record<string, string>>;
}

const REFERRER_POLICIES = Object.values(cloudfront.HeadersReferrerPolicy) as string[];

/**
 * A CloudFront response-headers policy that sets exactly the given header set on every
 * response, overriding what the origin sent (so errors CloudFront generates itself carry
 * them too). Headers CloudFront models as security headers (HSTS, nosniff,
 * Referrer-Policy, CSP) go there; the rest, such as `Cache-Control`, are custom headers.
 * @throws Error naming the header when a value cannot be expressed in a policy
 */
export class SecurityHeadersPolicy extends Construct {
  /** The policy. */
  public readonly policy: cloudfront.ResponseHeadersPolicy;

  constructor(scope: Construct, id: string, props: SecurityHeadersPolicyProps) {
    super(scope, id);
    const security: cloudfront.ResponseSecurityHeadersBehavior = {};
    const custom: cloudfront.ResponseCustomHeader[] = [];
    const fail = (name: string, value: string, expected: string) => {
      throw new Error(`SecurityHeadersPolicy: found ${name}: ${JSON.stringify(value)}; expected ${expected}`);
    };
    for (const [name, value] of Object.entries(props.headers)) {
      switch (name.toLowerCase()) {
        case 'strict-transport-security': {
          const m = /^max-age=(\d+)((?:; *includeSubDomains)?)((?:; *preload)?)$/i.exec(value);
          if (!m) fail(name, value, 'max-age=<seconds>, optionally followed by includeSubDomains and preload');
          Object.assign(security, {
            strictTransportSecurity: { accessControlMaxAge: Duration.seconds(Number(m![1])), includeSubdomains: m![2] !== '', preload: m![3] !== '', override: true },
          });
          break;
        }
        case 'x-content-type-options':
          if (value.toLowerCase() !== 'nosniff') fail(name, value, 'nosniff');
          Object.assign(security, { contentTypeOptions: { override: true } });
          break;
        case 'referrer-policy':
          if (!REFERRER_POLICIES.includes(value)) fail(name, value, `one of ${REFERRER_POLICIES.join(', ')}`);
          Object.assign(security, { referrerPolicy: { referrerPolicy: value as cloudfront.HeadersReferrerPolicy, override: true } });
          break;
        case 'content-security-policy':
          Object.assign(security, { contentSecurityPolicy: { contentSecurityPolicy: value, override: true } });
          break;
        default:
          custom.push({ header: name, value, override: true });
      }
    }
    this.policy = new cloudfront.ResponseHeadersPolicy(this, 'Resource', {
      comment: 'cdk-residency: the security header set of every response',
      securityHeadersBehavior: security,
      customHeadersBehavior: { customHeaders: custom },
    });
  }
}
