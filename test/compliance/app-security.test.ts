import { Duration, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { markAuthenticatedInHandler } from '../../constructs/secure-api/acknowledgements';
import { AtlassianAppSecurityChecks } from '../../lib/compliance/app-security/pack';
import { SECURITY_HEADERS } from '../../runtime/http/security-headers';
import { findingsOf, realmStack, testApp } from './pack-findings';

const pack = () => new AtlassianAppSecurityChecks();
const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000';

function edge() {
  const app = testApp();
  const stack = new Stack(app, 'Edge', { env: { region: 'us-east-1' } });
  return { app, stack, certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', CERT) };
}

// The app's header set, as a response-headers policy would carry it (max-age overridable).
function headersPolicy(stack: Stack, id: string, change: { maxAge?: number; includeSubdomains?: boolean; referrer?: cloudfront.HeadersReferrerPolicy; cacheControl?: string } = {}) {
  return new cloudfront.ResponseHeadersPolicy(stack, id, {
    securityHeadersBehavior: {
      strictTransportSecurity: { accessControlMaxAge: Duration.seconds(change.maxAge ?? 63_072_000), includeSubdomains: change.includeSubdomains ?? true, override: true },
      contentTypeOptions: { override: true },
      referrerPolicy: { referrerPolicy: change.referrer ?? (SECURITY_HEADERS['Referrer-Policy'] as cloudfront.HeadersReferrerPolicy), override: true },
      contentSecurityPolicy: { contentSecurityPolicy: SECURITY_HEADERS['Content-Security-Policy']!, override: true },
    },
    customHeadersBehavior: { customHeaders: [{ header: 'Cache-Control', value: change.cacheControl ?? SECURITY_HEADERS['Cache-Control']!, override: true }] },
  });
}

function distribution(stack: Stack, id: string, props: Partial<cloudfront.DistributionProps> & { behavior?: Partial<cloudfront.BehaviorOptions> }) {
  const { behavior, ...rest } = props;
  return new cloudfront.Distribution(stack, id, {
    defaultBehavior: { origin: new origins.HttpOrigin('global.app.example.com'), viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY, ...behavior },
    ...rest,
  });
}

describe('AtlassianAppSecurity-APIGWDomainTLS12', () => {
  it('refuses a custom domain that accepts TLS 1.0', () => {
    const { app, stack, certificate } = edge();
    new apigw.DomainName(stack, 'Old', { domainName: 'old.example.com', certificate, securityPolicy: apigw.SecurityPolicy.TLS_1_0 });
    expect(findingsOf(app, pack(), 'APIGWDomainTLS12').map((f) => f.path)).toEqual(['Edge/Old/Resource']);
  });

  it('accepts TLS_1_2 and the enhanced TLS 1.3 policies', () => {
    const { app, stack, certificate } = edge();
    new apigw.DomainName(stack, 'Tls12', { domainName: 'a.example.com', certificate, securityPolicy: apigw.SecurityPolicy.TLS_1_2 });
    new apigw.CfnDomainName(stack, 'Tls13', { domainName: 'b.example.com', regionalCertificateArn: CERT, securityPolicy: 'SecurityPolicy_TLS13_1_3_2025_09' });
    expect(findingsOf(app, pack(), 'APIGWDomainTLS12')).toEqual([]);
  });
});

describe('AtlassianAppSecurity-CloudFrontTLS12', () => {
  it('refuses the default certificate, an old viewer policy, plain HTTP and an HTTP origin', () => {
    const { app, stack, certificate } = edge();
    distribution(stack, 'Default', {});
    distribution(stack, 'Old', { certificate, domainNames: ['old.example.com'], minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_1_2016 });
    distribution(stack, 'Plain', {
      certificate,
      domainNames: ['plain.example.com'],
      behavior: { viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.ALLOW_ALL, origin: new origins.HttpOrigin('x.example.com', { protocolPolicy: cloudfront.OriginProtocolPolicy.HTTP_ONLY }) },
    });
    expect(findingsOf(app, pack(), 'CloudFrontTLS12')).toEqual([
      { id: 'AtlassianAppSecurity-CloudFrontTLS12[Viewer::default-certificate]', path: 'Edge/Default/Resource' },
      { id: 'AtlassianAppSecurity-CloudFrontTLS12[Viewer::TLSv1.1_2016]', path: 'Edge/Old/Resource' },
      { id: 'AtlassianAppSecurity-CloudFrontTLS12[Behavior::default::allow-all]', path: 'Edge/Plain/Resource' },
      { id: expect.stringMatching(/^AtlassianAppSecurity-CloudFrontTLS12\[Origin::\w+::http-only\]$/), path: 'Edge/Plain/Resource' },
    ]);
  });

  it('accepts its own certificate with TLSv1.2_2021, HTTPS only, to a TLSv1.2 origin', () => {
    const { app, stack, certificate } = edge();
    distribution(stack, 'Good', { certificate, domainNames: ['app.example.com'], minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 });
    expect(findingsOf(app, pack(), 'CloudFrontTLS12')).toEqual([]);
  });
});

describe('AtlassianAppSecurity-CloudFrontHSTS', () => {
  it('refuses a behavior without a policy, with HSTS under a year, or without includeSubDomains', () => {
    const { app, stack } = edge();
    distribution(stack, 'None', {});
    distribution(stack, 'Short', { behavior: { responseHeadersPolicy: headersPolicy(stack, 'ShortPolicy', { maxAge: 86_400 }) } });
    distribution(stack, 'Narrow', { behavior: { responseHeadersPolicy: headersPolicy(stack, 'NarrowPolicy', { includeSubdomains: false }) } });
    distribution(stack, 'Managed', { behavior: { responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS } });
    expect(findingsOf(app, pack(), 'CloudFrontHSTS').map((f) => `${f.id} ${f.path}`)).toEqual([
      'AtlassianAppSecurity-CloudFrontHSTS[Behavior::default] Edge/None/Resource',
      'AtlassianAppSecurity-CloudFrontHSTS[Behavior::default] Edge/Short/Resource',
      'AtlassianAppSecurity-CloudFrontHSTS[Behavior::default] Edge/Narrow/Resource',
      'AtlassianAppSecurity-CloudFrontHSTS[Behavior::default] Edge/Managed/Resource',
    ]);
  });

  it('accepts HSTS of exactly one year with includeSubDomains on every behavior', () => {
    const { app, stack } = edge();
    const policy = headersPolicy(stack, 'Policy', { maxAge: 31_536_000 });
    distribution(stack, 'Good', {
      behavior: { responseHeadersPolicy: policy },
      additionalBehaviors: { '/api/*': { origin: new origins.HttpOrigin('eu.app.example.com'), viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY, responseHeadersPolicy: policy } },
    });
    expect(findingsOf(app, pack(), 'CloudFrontHSTS')).toEqual([]);
  });
});

describe('AtlassianAppSecurity-CloudFrontSecurityHeaders', () => {
  it('refuses a policy whose values differ from SECURITY_HEADERS, header by header', () => {
    const { app, stack } = edge();
    const weak = headersPolicy(stack, 'WeakPolicy', { referrer: cloudfront.HeadersReferrerPolicy.UNSAFE_URL, cacheControl: 'max-age=600' });
    distribution(stack, 'Weak', { behavior: { responseHeadersPolicy: weak } });
    expect(findingsOf(app, pack(), 'CloudFrontSecurityHeaders').map((f) => f.id)).toEqual([
      'AtlassianAppSecurity-CloudFrontSecurityHeaders[Behavior::default::Cache-Control]',
      'AtlassianAppSecurity-CloudFrontSecurityHeaders[Behavior::default::Referrer-Policy]',
    ]);
  });

  it('accepts a policy carrying the header set of runtime/http/security-headers.ts', () => {
    const { app, stack } = edge();
    distribution(stack, 'Good', { behavior: { responseHeadersPolicy: headersPolicy(stack, 'Policy') } });
    expect(findingsOf(app, pack(), 'CloudFrontSecurityHeaders')).toEqual([]);
  });
});

describe('AtlassianAppSecurity-APIGWMethodAuthorization', () => {
  function api() {
    const app = testApp();
    const stack = new Stack(app, 'Api', { env: { region: 'eu-central-1' } });
    const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})') });
    const rest = new apigw.RestApi(stack, 'Rest', { defaultCorsPreflightOptions: { allowOrigins: ['https://example.atlassian.net'] } });
    return { app, rest, fn, integration: new apigw.LambdaIntegration(fn) };
  }

  it('refuses a method without an authorizer that is not marked', () => {
    const { app, rest, integration } = api();
    rest.root.addResource('open').addMethod('GET', integration);
    expect(findingsOf(app, pack(), 'APIGWMethodAuthorization').map((f) => f.path)).toEqual(['Api/Rest/Default/open/GET/Resource']);
  });

  it('accepts a method with an authorizer, one marked as authenticated by its handler, and CORS preflights', () => {
    const { app, rest, fn, integration } = api();
    const authorizer = new apigw.RequestAuthorizer(rest, 'Auth', { handler: fn, identitySources: [apigw.IdentitySource.header('Authorization')] });
    rest.root.addResource('guarded').addMethod('GET', integration, { authorizer });
    const forge = rest.root.addResource('forge').addMethod('POST', integration);
    markAuthenticatedInHandler(forge, 'The handler verifies the Forge Invocation Token (RS256, Forge JWKS, aud = this app) before anything else.');
    expect(findingsOf(app, pack(), 'APIGWMethodAuthorization')).toEqual([]);
  });

  it('refuses a marker without a reviewable statement', () => {
    const { rest, integration } = api();
    const method = rest.root.addResource('x').addMethod('GET', integration);
    expect(() => markAuthenticatedInHandler(method, 'trust me')).toThrow(/found a statement of 8 characters on Api\/Rest\/Default\/x\/GET\/Resource; expected at least 40/);
  });
});

describe('AtlassianAppSecurity customer managed keys', () => {
  // Stores under AWS owned or AWS managed keys, and the same stores under customer managed keys.
  function stores(customerManaged: boolean) {
    const app = testApp();
    const stack = realmStack(app, 'Eu', 'eu-central-1', 'EU');
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const partitionKey = { name: 'pk', type: dynamodb.AttributeType.STRING };
    if (customerManaged) {
      const byArn = kms.Key.fromKeyArn(stack, 'ByArn', 'arn:aws:kms:eu-central-1:123456789012:key/0b6c2f4e-1111-4d2b-9a50-6c1f2a3b4c5d');
      new s3.Bucket(stack, 'Bucket', { encryptionKey: key });
      new dynamodb.Table(stack, 'Table', { partitionKey, encryptionKey: byArn, encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED });
      new dynamodb.TableV2(stack, 'Global', { partitionKey, encryption: dynamodb.TableEncryptionV2.customerManagedKey(key) });
      new logs.LogGroup(stack, 'Logs', { encryptionKey: key });
      new secretsmanager.Secret(stack, 'Secret', { encryptionKey: key });
    } else {
      new s3.Bucket(stack, 'S3Managed', { encryption: s3.BucketEncryption.S3_MANAGED });
      new s3.Bucket(stack, 'KmsManaged', { encryption: s3.BucketEncryption.KMS_MANAGED });
      new dynamodb.Table(stack, 'Owned', { partitionKey });
      new dynamodb.Table(stack, 'AwsManaged', { partitionKey, encryption: dynamodb.TableEncryption.AWS_MANAGED });
      new dynamodb.TableV2(stack, 'Global', { partitionKey });
      new logs.LogGroup(stack, 'Logs');
      new secretsmanager.Secret(stack, 'Secret');
      new secretsmanager.Secret(stack, 'AliasSecret', { encryptionKey: kms.Alias.fromAliasName(stack, 'AwsAlias', 'alias/aws/secretsmanager') });
    }
    return (rule: string) => findingsOf(app, pack(), rule).map((f) => f.path);
  }

  const cases: Array<[string, string[]]> = [
    ['S3BucketCMK', ['Eu/S3Managed/Resource', 'Eu/KmsManaged/Resource']],
    ['DynamoDBCMK', ['Eu/Owned/Resource', 'Eu/AwsManaged/Resource', 'Eu/Global/Resource']],
    ['LogGroupCMK', ['Eu/Logs/Resource']],
    ['SecretCMK', ['Eu/Secret/Resource', 'Eu/AliasSecret/Resource']],
  ];
  describe.each(cases)('AtlassianAppSecurity-%s', (rule, flagged) => {
    it('refuses stores under AWS owned or AWS managed keys', () => {
      expect(stores(false)(rule)).toEqual(flagged);
    });

    it('accepts stores under a key of the app or a key given by ARN', () => {
      expect(stores(true)(rule)).toEqual([]);
    });
  });
});
