import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { EDGE_LOG_FIELDS } from '../../constructs/edge-router/access-log-delivery';
import { FUNCTION_CODE_LIMIT_BYTES, edgeRouterCode } from '../../constructs/edge-router';
import { parseConfig } from '../../lib/config';
import { EDGE_TAG_KEY, GlobalEdgeStack } from '../../lib/stacks/global-edge-stack';
import { METADATA_ONLY_TAG_KEY } from '../../lib/compliance/realm-tags';
import { addResidencyStacks } from '../../lib/stacks/residency-app';
import { SECURITY_HEADERS } from '../../runtime/http/security-headers';
import { exampleConfigJson } from '../helpers/example-config';
import { NO_BUNDLING } from '../helpers/example-app';
import { headerProblems } from '../helpers/security-headers';

const json = exampleConfigJson();
json.edge = { logRegion: 'eu-central-1' };
const config = parseConfig(json);
const app = new App({ context: NO_BUNDLING });
const { edgeStack, edgeLogStack } = addResidencyStacks(app, config);
const edge = Template.fromStack(edgeStack);
const logs = Template.fromStack(edgeLogStack);
const only = (template: Template, type: string) => {
  const found = Object.values(template.findResources(type));
  expect(found).toHaveLength(1);
  return found[0]!.Properties;
};
const distribution = () => only(edge, 'AWS::CloudFront::Distribution').DistributionConfig;
const id = (template: Template, type: string) => Object.keys(template.findResources(type))[0]!;

describe('GlobalEdgeStack', () => {
  it('is <StackPrefix>-Edge in us-east-1, and its log bucket <StackPrefix>-EdgeLogs is in edge.logRegion', () => {
    expect([edgeStack.stackName, edgeStack.region]).toEqual(['ResidencyDemo-Edge', 'us-east-1']);
    expect([edgeLogStack.stackName, edgeLogStack.region]).toEqual(['ResidencyDemo-EdgeLogs', 'eu-central-1']);
    expect(edgeStack.dependencies).toContain(edgeLogStack);
  });

  it('declares both edge stacks metadata-only, as the DataResidency pack and the trust report read it', () => {
    expect(edgeStack.tags.tagValues()).toMatchObject({ [EDGE_TAG_KEY]: 'router', [METADATA_ONLY_TAG_KEY]: 'true' });
    expect(edgeLogStack.tags.tagValues()).toMatchObject({ [EDGE_TAG_KEY]: 'access-logs', [METADATA_ONLY_TAG_KEY]: 'true' });
  });

  it('serves the global name with a DNS-validated us-east-1 certificate, SNI and TLS 1.2_2021, HTTPS only', () => {
    edge.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'app.example.com',
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: 'app.example.com', HostedZoneId: 'Z0123456789EXAMPLE0AB' }],
    });
    const d = distribution();
    expect(d.Aliases).toEqual(['app.example.com']);
    expect(d.ViewerCertificate).toEqual({ AcmCertificateArn: { Ref: id(edge, 'AWS::CertificateManager::Certificate') }, MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' });
    expect(d.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('https-only');
    const global = { Id: expect.any(String), DomainName: 'global.app.example.com', CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] } };
    // The other origin is the content bucket (test/stacks/edge-content.test.ts).
    expect(d.Origins).toEqual([global, expect.objectContaining({ S3OriginConfig: { OriginAccessIdentity: '' } })]);
    expect(d.DefaultCacheBehavior.TargetOriginId).toBe(d.Origins[0].Id);
  });

  it('caches nothing and forwards every query string and the Authorization header (AllViewerExceptHostHeader)', () => {
    const behavior = distribution().DefaultCacheBehavior;
    expect(behavior.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad'); // Managed-CachingDisabled
    expect(behavior.OriginRequestPolicyId).toBe('b689b0a8-53d0-40ab-baf2-68738e2966ac'); // Managed-AllViewerExceptHostHeader
    expect(behavior.AllowedMethods).toEqual(expect.arrayContaining(['GET', 'POST', 'PUT', 'DELETE']));
  });

  it('puts a CLOUDFRONT-scope web ACL with managed rules and a rate limit in front, logging with tokens redacted', () => {
    const acl = only(edge, 'AWS::WAFv2::WebACL');
    expect(acl.Scope).toBe('CLOUDFRONT');
    expect(acl.Rules.map((r: { Name: string }) => r.Name)).toEqual(['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesAmazonIpReputationList', 'RateLimitPerIp']);
    expect(distribution().WebACLId).toEqual({ 'Fn::GetAtt': [id(edge, 'AWS::WAFv2::WebACL'), 'Arn'] });
    const logging = only(edge, 'AWS::WAFv2::LoggingConfiguration');
    expect(logging.RedactedFields).toEqual(expect.arrayContaining([{ SingleHeader: { Name: 'authorization' } }, { QueryString: {} }]));
    edge.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [id(edge, 'AWS::KMS::Key'), 'Arn'] }, RetentionInDays: 365 });
  });

  it('sets exactly SECURITY_HEADERS on every response, overriding the origin', () => {
    const policy = only(edge, 'AWS::CloudFront::ResponseHeadersPolicy').ResponseHeadersPolicyConfig;
    const s = policy.SecurityHeadersConfig;
    const sent: Record<string, string> = {
      'Strict-Transport-Security': `max-age=${s.StrictTransportSecurity.AccessControlMaxAgeSec}${s.StrictTransportSecurity.IncludeSubdomains ? '; includeSubDomains' : ''}`,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': s.ReferrerPolicy.ReferrerPolicy,
      'Content-Security-Policy': s.ContentSecurityPolicy.ContentSecurityPolicy,
      ...Object.fromEntries(policy.CustomHeadersConfig.Items.map((h: { Header: string; Value: string }) => [h.Header, h.Value])),
    };
    expect(sent).toEqual(SECURITY_HEADERS);
    expect(headerProblems(sent)).toEqual([]);
    const overrides = [...Object.values<{ Override: boolean }>(s), ...policy.CustomHeadersConfig.Items].map((h) => h.Override);
    expect(overrides.every(Boolean)).toBe(true);
    expect(distribution().DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({ Ref: id(edge, 'AWS::CloudFront::ResponseHeadersPolicy') });
  });

  it('runs the router (cloudfront-js-2.0, the code generated from the config, under 10 KB) on viewer requests, with the directory', () => {
    const fn = only(edge, 'AWS::CloudFront::Function');
    expect(fn.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
    expect(fn.FunctionCode).toBe(edgeRouterCode(Object.fromEntries(config.realms.map((r) => [r.name, r.hostname]))));
    expect(Buffer.byteLength(fn.FunctionCode, 'utf8')).toBeLessThan(FUNCTION_CODE_LIMIT_BYTES);
    expect(fn.FunctionConfig.KeyValueStoreAssociations).toEqual([{ KeyValueStoreARN: { 'Fn::GetAtt': [id(edge, 'AWS::CloudFront::KeyValueStore'), 'Arn'] } }]);
    expect(distribution().DefaultCacheBehavior.FunctionAssociations).toEqual([
      { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [id(edge, 'AWS::CloudFront::Function'), 'FunctionARN'] } },
    ]);
    expect(only(edge, 'AWS::CloudFront::KeyValueStore').ImportSource).toBeUndefined();
  });

  it('generates the directory key in Secrets Manager under the edge CMK, so no template holds it', () => {
    const secret = only(edge, 'AWS::SecretsManager::Secret');
    expect(secret.GenerateSecretString).toEqual({ PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false });
    expect(secret.SecretString).toBeUndefined();
    expect(secret.KmsKeyId).toEqual({ 'Fn::GetAtt': [id(edge, 'AWS::KMS::Key'), 'Arn'] });
    edge.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, MultiRegion: false });
  });

  it('points the global name at the distribution (A and AAAA aliases)', () => {
    for (const Type of ['A', 'AAAA']) {
      edge.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: 'app.example.com.',
        Type,
        HostedZoneId: 'Z0123456789EXAMPLE0AB',
        AliasTarget: { DNSName: { 'Fn::GetAtt': [id(edge, 'AWS::CloudFront::Distribution'), 'DomainName'] } },
      });
    }
  });

  it('delivers access logs (v2) to the bucket in edge.logRegion without query strings, cookies or referers', () => {
    edge.hasResourceProperties('AWS::Logs::DeliverySource', {
      LogType: 'ACCESS_LOGS',
      ResourceArn: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([{ Ref: id(edge, 'AWS::CloudFront::Distribution') }])]) }),
    });
    const destination = only(edge, 'AWS::Logs::DeliveryDestination').DestinationResourceArn;
    expect(JSON.stringify(destination)).toContain('-edge-logs-');
    expect(JSON.stringify(destination)).toContain('-eu-central-1');
    const fields: string[] = only(edge, 'AWS::Logs::Delivery').RecordFields;
    expect(fields).toEqual([...EDGE_LOG_FIELDS]);
    for (const leaky of ['cs-uri-query', 'cs(Cookie)', 'cs(Referer)']) expect(fields).not.toContain(leaky);
    expect(distribution().Logging).toBeUndefined();
  });

  it('keeps the log bucket in its region, encrypted with its own CMK, private, TLS-only, expiring with the log retention', () => {
    const bucket = only(logs, 'AWS::S3::Bucket');
    expect(JSON.stringify(bucket.BucketName)).toContain('residencydemo-edge-logs-');
    expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
      { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [id(logs, 'AWS::KMS::Key'), 'Arn'] } } },
    ]);
    expect(bucket.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(bucket.LifecycleConfiguration.Rules[0].ExpirationInDays).toBe(config.retention.logDays);
    expect(bucket.ReplicationConfiguration).toBeUndefined();
    logs.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it("holds CloudWatch Logs' own S3 delivery statements, so the delivery adds none that a later deploy would strip", () => {
    const statements: any[] = only(logs, 'AWS::S3::BucketPolicy').PolicyDocument.Statement;
    const delivery = statements.filter((s) => s.Principal?.Service === 'delivery.logs.amazonaws.com');
    const bucket = id(logs, 'AWS::S3::Bucket');
    const fromDelivery = {
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:us-east-1:', { Ref: 'AWS::AccountId' }, ':delivery-source:*']] } },
    };
    expect(delivery).toEqual([
      {
        Sid: 'AWSLogDeliveryWrite',
        Effect: 'Allow',
        Principal: { Service: 'delivery.logs.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/AWSLogs/', { Ref: 'AWS::AccountId' }, '/*']] },
        Condition: { ...fromDelivery, StringEquals: { ...fromDelivery.StringEquals, 's3:x-amz-acl': 'bucket-owner-full-control' } },
      },
      {
        Sid: 'AWSLogDeliveryAclCheck',
        Effect: 'Allow',
        Principal: { Service: 'delivery.logs.amazonaws.com' },
        Action: ['s3:GetBucketAcl', 's3:ListBucket'],
        Resource: { 'Fn::GetAtt': [bucket, 'Arn'] },
        Condition: fromDelivery,
      },
    ]);
  });

  it("forwards every viewer header but Host to the realms, the router's viewer header among them, which their firewalls count by", () => {
    // AllViewerExceptHostHeader: every viewer header but Host, including those the viewer-request function sets.
    expect(distribution().DefaultCacheBehavior.OriginRequestPolicyId).toBe('b689b0a8-53d0-40ab-baf2-68738e2966ac');
  });

  it('holds no tenant data store: no table, queue, database or file system, and one bucket, of public app content', () => {
    const resources = Object.entries(edge.toJSON().Resources) as Array<[string, any]>;
    const stores = resources.filter(([, r]) => /^AWS::(DynamoDB|S3|RDS|SQS|SNS|EFS|ElastiCache|DocDB|Neptune|Kinesis|Backup)::/.test(r.Type));
    expect(stores.map(([, r]) => r.Type).sort()).toEqual(['AWS::S3::Bucket', 'AWS::S3::BucketPolicy']);
    expect(stores.find(([, r]) => r.Type === 'AWS::S3::Bucket')![0]).toBe(edgeStack.getLogicalId(edgeStack.content.bucket.node.defaultChild as any));
    expect(Object.values(logs.toJSON().Resources).map((r: any) => r.Type).sort()).toEqual(['AWS::KMS::Alias', 'AWS::KMS::Key', 'AWS::S3::Bucket', 'AWS::S3::BucketPolicy']);
  });

  it('refuses a region other than us-east-1, and realm hosts without Global', () => {
    const props = { appKey: 'com.example.x', domainName: 'app.example.com', hostedZone: config.domain.hostedZone, accessLogBucketArn: 'arn:aws:s3:::logs', directoryWriterName: 'X-tenant-directory', connectDescriptor: {}, contentBucketName: 'x-edge-content' };
    expect(() => new GlobalEdgeStack(new App(), 'E', { ...props, env: { region: 'eu-central-1' }, realmHosts: { Global: 'global.app.example.com' } })).toThrow(
      'GlobalEdgeStack E: found region eu-central-1; expected env.region us-east-1, where CloudFront certificates and web ACLs live',
    );
    expect(() => new GlobalEdgeStack(new App(), 'E', { ...props, env: { region: 'us-east-1' }, realmHosts: { EU: 'eu.app.example.com' } })).toThrow(
      'GlobalEdgeStack E: found no Global realm host; expected realmHosts.Global, the default origin',
    );
  });
});
