import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { EDGE_CONTENT_PATHS } from '../../constructs/edge-router';
import { loadConfig } from '../../lib/config';
import { publishedConnectDescriptor } from '../../lib/atlassian';
import { addResidencyStacks } from '../../lib/stacks/residency-app';
import { exampleConfigJson } from '../helpers/example-config';
import { NO_BUNDLING } from '../helpers/example-app';

// A config file in its own folder, with static assets beside it, as a vendor would lay it out.
const folder = mkdtempSync(join(tmpdir(), 'edge-content-'));
mkdirSync(join(folder, 'public', 'js'), { recursive: true });
writeFileSync(join(folder, 'public', 'js', 'page.js'), 'document.body.dataset.ready = "1";\n');
const json = exampleConfigJson();
json.app.staticDir = 'public';
writeFileSync(join(folder, 'residency.config.json'), JSON.stringify(json));
const config = loadConfig(join(folder, 'residency.config.json'));
const { edgeStack } = addResidencyStacks(new App({ context: NO_BUNDLING }), config);
const edge = Template.fromStack(edgeStack);
const resources = edge.toJSON().Resources as Record<string, any>;
const logicalId = (construct: { node: { defaultChild?: unknown } }) => edgeStack.getLogicalId(construct.node.defaultChild as any);
const bucketId = logicalId(edgeStack.content.bucket);
const keyId = logicalId(edgeStack.content.key.key);
const distributionId = logicalId(edgeStack.distribution);
const distribution = () => Object.values(edge.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig;
const behavior = (pattern: string) => distribution().CacheBehaviors.find((b: any) => b.PathPattern === pattern);
const distributionArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudfront::', { Ref: 'AWS::AccountId' }, ':distribution/', { Ref: distributionId }]] };
const contentPatterns = [EDGE_CONTENT_PATHS.descriptor, `${EDGE_CONTENT_PATHS.staticPrefix}*`];

describe('the edge content origin (descriptor and static assets)', () => {
  it('resolves app.staticDir against the config file and finds the folder', () => {
    expect(config.app.staticDir).toBe(join(folder, 'public'));
  });

  it('is a bucket named without a reference, so the origin does not depend on it, reached through an SigV4-always OAC', () => {
    const origin = distribution().Origins.find((o: any) => o.S3OriginConfig);
    expect(origin.DomainName).toEqual({ 'Fn::Join': ['', ['residencydemo-edge-content-', { Ref: 'AWS::AccountId' }, '-us-east-1.s3.us-east-1.', { Ref: 'AWS::URLSuffix' }]] });
    expect(origin.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
    expect(origin.OriginAccessControlId).toEqual({ 'Fn::GetAtt': [logicalId(edgeStack.content.originAccessControl), 'Id'] });
    edge.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' },
    });
    expect(resources[bucketId].Properties.BucketName).toEqual({ 'Fn::Join': ['', ['residencydemo-edge-content-', { Ref: 'AWS::AccountId' }, '-us-east-1']] });
    expect(JSON.stringify(resources[distributionId])).not.toContain(bucketId);
  });

  it('encrypts with its own CMK (SSE-KMS, bucket key), blocks public access, is versioned and refuses plain HTTP', () => {
    const bucket = resources[bucketId].Properties;
    expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
      { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } } },
    ]);
    expect(bucket.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(bucket.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(resources[keyId].Properties).toMatchObject({ EnableKeyRotation: true, MultiRegion: false });
    edge.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('lets only this distribution read objects and decrypt them: aws:SourceArn is its ARN, not distribution/*', () => {
    const policy = Object.values(edge.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: bucketId } } }))[0]!.Properties.PolicyDocument;
    const cloudFront = (statements: any[]) => statements.filter((s) => s.Principal?.Service === 'cloudfront.amazonaws.com');
    expect(cloudFront(policy.Statement)).toEqual([
      expect.objectContaining({ Effect: 'Allow', Action: 's3:GetObject', Condition: { StringEquals: { 'AWS:SourceArn': distributionArn } } }),
    ]);
    expect(cloudFront(resources[keyId].Properties.KeyPolicy.Statement)).toEqual([
      expect.objectContaining({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'AWS:SourceArn': distributionArn } } }),
    ]);
    // The key names the distribution, so the distribution must not (even indirectly) name the key: CloudFormation would refuse the cycle.
    expect(resources[keyId].DependsOn ?? []).not.toContain(distributionId);
    expect(JSON.stringify(resources[distributionId])).not.toContain(keyId);
  });

  it('sends the descriptor and /static/* to the bucket, GET and HEAD only, with the header set and no router', () => {
    const headersPolicy = distribution().DefaultCacheBehavior.ResponseHeadersPolicyId;
    const s3Origin = distribution().Origins.find((o: any) => o.S3OriginConfig).Id;
    for (const pattern of contentPatterns) {
      const b = behavior(pattern);
      expect(b).toMatchObject({ TargetOriginId: s3Origin, ViewerProtocolPolicy: 'https-only', AllowedMethods: ['GET', 'HEAD'], ResponseHeadersPolicyId: headersPolicy });
      expect(b.FunctionAssociations).toBeUndefined();
      expect(b.LambdaFunctionAssociations).toBeUndefined();
    }
    expect(distribution().DefaultCacheBehavior.FunctionAssociations).toHaveLength(1);
  });

  it('forwards nothing of the viewer to S3: no origin request policy, and cache keys without headers, cookies or query strings', () => {
    expect(behavior(EDGE_CONTENT_PATHS.descriptor).CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad'); // Managed-CachingDisabled
    for (const pattern of contentPatterns) expect(behavior(pattern).OriginRequestPolicyId).toBeUndefined();
    const staticPolicy = behavior(`${EDGE_CONTENT_PATHS.staticPrefix}*`).CachePolicyId;
    const config = resources[staticPolicy.Ref].Properties.CachePolicyConfig;
    expect(config.ParametersInCacheKeyAndForwardedToOrigin).toMatchObject({
      HeadersConfig: { HeaderBehavior: 'none' },
      CookiesConfig: { CookieBehavior: 'none' },
      QueryStringsConfig: { QueryStringBehavior: 'none' },
    });
    expect(config.DefaultTTL).toBeGreaterThan(0);
  });

  it('keeps Cache-Control: no-cache, no-store on every response, static assets included (one headers policy)', () => {
    const policies = Object.values(edge.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    expect(policies).toHaveLength(1);
    expect(policies[0]!.Properties.ResponseHeadersPolicyConfig.CustomHeadersConfig.Items).toContainEqual({ Header: 'Cache-Control', Value: 'no-cache, no-store', Override: true });
  });

  it('deploys the published descriptor to atlassian-connect.json and the static folder under static/', () => {
    const deployments = Object.values(edge.findResources('Custom::CDKBucketDeployment')).map((r) => r.Properties);
    expect(deployments).toHaveLength(2);
    for (const d of deployments) expect(d.DestinationBucketName).toEqual({ Ref: bucketId });
    const descriptor = deployments.find((d) => d.DestinationBucketKeyPrefix === undefined)!;
    const assets = deployments.find((d) => d.DestinationBucketKeyPrefix === 'static/')!;
    expect(descriptor).toMatchObject({ Exclude: ['static/*'], Prune: true, SystemMetadata: { 'content-type': 'application/json' } });
    expect(assets.Prune).toBe(true);
    // What each deployment copies is the asset staged in the cloud assembly: the very descriptor cdk.out gets, and the folder.
    const staged = (id: string) => {
      // Source assets are the deployment's children Asset1, Asset2...; the CLI layer's asset sits deeper.
      const asset = edgeStack.content.node.findChild(id).node.findChild('Asset1') as s3assets.Asset;
      return join((edgeStack.node.root as App).outdir, asset.assetPath);
    };
    expect(JSON.parse(readFileSync(join(staged('Descriptor'), 'atlassian-connect.json'), 'utf8'))).toEqual(publishedConnectDescriptor(config));
    expect(readdirSync(staged('Static'), { recursive: true }).map(String).sort()).toEqual(['js', join('js', 'page.js')]);
  });
});
