import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { SecurityHeadersPolicy } from '../../../constructs/edge-router/security-headers-policy';

describe('SecurityHeadersPolicy', () => {
  it('models HSTS with preload, and sends headers CloudFront has no field for as custom headers', () => {
    const stack = new Stack();
    new SecurityHeadersPolicy(stack, 'H', { headers: { 'Strict-Transport-Security': 'max-age=63072000; includeSubDomains; preload', 'Permissions-Policy': 'camera=()' } });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: {
        SecurityHeadersConfig: { StrictTransportSecurity: { AccessControlMaxAgeSec: 63072000, IncludeSubdomains: true, Preload: true, Override: true } },
        CustomHeadersConfig: { Items: [{ Header: 'Permissions-Policy', Value: 'camera=()', Override: true }] },
      },
    });
  });

  it.each([
    ['Strict-Transport-Security', 'includeSubDomains', /found Strict-Transport-Security: "includeSubDomains"; expected max-age=<seconds>/],
    ['X-Content-Type-Options', 'sniff-away', /found X-Content-Type-Options: "sniff-away"; expected nosniff/],
    ['Referrer-Policy', 'sometimes', /found Referrer-Policy: "sometimes"; expected one of no-referrer, /],
  ])('refuses a %s it cannot express, naming it', (name, value, message) => {
    expect(() => new SecurityHeadersPolicy(new Stack(), 'H', { headers: { [name]: value } })).toThrow(message);
  });
});
