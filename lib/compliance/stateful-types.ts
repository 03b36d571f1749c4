/**
 * CloudFormation resource types that store data at rest (or hold the keys that decrypt it):
 * the resources whose region decides where a realm's data lives. Queues, topics, streams
 * and log groups count: they keep messages and events for days.
 */
export const STATEFUL_TYPES: ReadonlySet<string> = new Set([
  'AWS::Backup::BackupVault',
  'AWS::Backup::LogicallyAirGappedBackupVault',
  'AWS::CloudFront::KeyValueStore',
  'AWS::Cognito::UserPool',
  'AWS::DocDB::DBCluster',
  'AWS::DynamoDB::GlobalTable',
  'AWS::DynamoDB::Table',
  'AWS::EC2::Volume',
  'AWS::EFS::FileSystem',
  'AWS::ElastiCache::CacheCluster',
  'AWS::ElastiCache::ReplicationGroup',
  'AWS::ElastiCache::ServerlessCache',
  'AWS::Elasticsearch::Domain',
  'AWS::Events::Archive',
  'AWS::FSx::FileSystem',
  'AWS::Kinesis::Stream',
  'AWS::KinesisFirehose::DeliveryStream',
  'AWS::KMS::Key',
  'AWS::KMS::ReplicaKey',
  'AWS::Logs::LogGroup',
  'AWS::MemoryDB::Cluster',
  'AWS::Neptune::DBCluster',
  'AWS::OpenSearchServerless::Collection',
  'AWS::OpenSearchService::Domain',
  'AWS::RDS::DBCluster',
  'AWS::RDS::DBInstance',
  'AWS::Redshift::Cluster',
  'AWS::RedshiftServerless::Namespace',
  'AWS::S3::Bucket',
  'AWS::S3Express::DirectoryBucket',
  'AWS::S3Tables::TableBucket',
  'AWS::SecretsManager::Secret',
  'AWS::SNS::Topic',
  'AWS::SQS::Queue',
  'AWS::Timestream::Database',
  'AWS::Timestream::Table',
]);

/** True when resources of `type` store data at rest (see {@link STATEFUL_TYPES}). */
export function isStatefulType(type: string): boolean {
  return STATEFUL_TYPES.has(type);
}

/**
 * Services whose resources are global (no region in their ARNs): naming one of them says
 * nothing about where data rests.
 */
export const GLOBAL_TYPE_PREFIXES: readonly string[] = [
  'AWS::IAM::',
  'AWS::Route53::',
  'AWS::CloudFront::Distribution',
  'AWS::CloudFront::ResponseHeadersPolicy',
  'AWS::CloudFront::CachePolicy',
  'AWS::CloudFront::OriginRequestPolicy',
  'AWS::Organizations::',
];
