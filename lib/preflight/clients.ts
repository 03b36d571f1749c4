import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { Route53Client } from '@aws-sdk/client-route-53';
import { S3Client } from '@aws-sdk/client-s3';
import { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';

/** The SDK clients preflight reads with, per region; replace any of them (tests, other credentials). */
export interface PreflightClients {
  sts(region: string): STSClient;
  lambda(region: string): LambdaClient;
  serviceQuotas(region: string): ServiceQuotasClient;
  ssm(region: string): SSMClient;
  ec2(region: string): EC2Client;
  cloudFormation(region: string): CloudFormationClient;
  dynamoDb(region: string): DynamoDBClient;
  s3(region: string): S3Client;
  /** Route 53 is global; its API is in us-east-1. */
  route53(): Route53Client;
  /** CloudFront is global; its API is in us-east-1. */
  cloudFront(): CloudFrontClient;
}

/** Clients on the default credential chain, one per service and region. */
export function defaultClients(overrides: Partial<PreflightClients> = {}): PreflightClients {
  const cache = new Map<string, unknown>();
  // One client per service and region, made on first use.
  const per = <C>(service: string, make: (region: string) => C) => (region: string): C => {
    const key = `${service}/${region}`;
    if (!cache.has(key)) cache.set(key, make(region));
    return cache.get(key) as C;
  };
  return {
    sts: per('sts', (region) => new STSClient({ region })),
    lambda: per('lambda', (region) => new LambdaClient({ region })),
    serviceQuotas: per('service-quotas', (region) => new ServiceQuotasClient({ region })),
    ssm: per('ssm', (region) => new SSMClient({ region })),
    ec2: per('ec2', (region) => new EC2Client({ region })),
    cloudFormation: per('cloudformation', (region) => new CloudFormationClient({ region })),
    dynamoDb: per('dynamodb', (region) => new DynamoDBClient({ region })),
    s3: per('s3', (region) => new S3Client({ region })),
    route53: () => per('route53', (region) => new Route53Client({ region }))('us-east-1'),
    cloudFront: () => per('cloudfront', (region) => new CloudFrontClient({ region }))('us-east-1'),
    ...overrides,
  };
}
