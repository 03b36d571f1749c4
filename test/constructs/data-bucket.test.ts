import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DataBucket } from '../../constructs/data-bucket';
import { RealmKey } from '../../constructs/realm-key';

// A stack without packs (Template.fromStack throws when packs are attached to the App).
function synth(): { template: Template; stack: Stack; data: DataBucket } {
  const stack = new Stack(new App(), 'Realm', { env: { account: '111111111111', region: 'eu-central-1' } });
  const key = new RealmKey(stack, 'Key', { appKey: 'com.example.app', realms: ['EU'] });
  const data = new DataBucket(stack, 'Data', { encryptionKey: key.key, accessLogRetention: Duration.days(90), noncurrentVersionRetention: Duration.days(35) });
  return { template: Template.fromStack(stack), stack, data };
}

const principalsOf = (statement: any): string[] => [statement.Principal?.Service ?? []].flat();

describe('DataBucket server access logging', () => {
  const { template, stack, data } = synth();
  const keyStatements: any[] = Object.values(template.findResources('AWS::KMS::Key')).flatMap((k: any) => k.Properties.KeyPolicy.Statement);

  it('gives logging.s3.amazonaws.com no use of the realm key without an aws:SourceAccount condition (no confused deputy)', () => {
    const forLogging = keyStatements.filter((s) => principalsOf(s).includes('logging.s3.amazonaws.com'));
    expect(forLogging).toHaveLength(1);
    expect(forLogging[0].Condition).toEqual({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } });
    expect([forLogging[0].Action].flat().sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
  });

  it('still delivers the data bucket access logs to the log bucket, by a bucket policy bound to the data bucket and account', () => {
    const dataId = stack.getLogicalId(data.bucket.node.defaultChild as any);
    const logId = stack.getLogicalId(data.accessLogBucket.node.defaultChild as any);
    const bucket = template.toJSON().Resources[dataId];
    expect(bucket.Properties.LoggingConfiguration).toEqual({ DestinationBucketName: { Ref: logId }, LogFilePrefix: 'data/' });
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy')).filter((p: any) => p.Properties.Bucket.Ref === logId);
    const delivery = policies.flatMap((p: any) => p.Properties.PolicyDocument.Statement).filter((s: any) => principalsOf(s).includes('logging.s3.amazonaws.com'));
    expect(delivery).toHaveLength(1);
    expect(delivery[0]).toMatchObject({
      Effect: 'Allow',
      Action: 's3:PutObject',
      Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [dataId, 'Arn'] } }, StringEquals: { 'aws:SourceAccount': '111111111111' } },
    });
  });
});
