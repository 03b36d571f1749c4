import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { consumerDir, installedPackage, run } from '../helpers/installed-package';

// A vendor's own CDK app on the published package: an EU realm stack whose data bucket and
// session table are built from the package's constructs, and a US realm stack whose bucket
// has a fixed name. `leak` adds S3 replication to that US bucket and a US replica of the table.
const CONSUMER_APP = `
const { App, Duration, Stack } = require('aws-cdk-lib');
const dynamodb = require('aws-cdk-lib/aws-dynamodb');
const iam = require('aws-cdk-lib/aws-iam');
const { DataBucket, RealmKey, applyCompliance, tagRealm } = require('cdk-residency');

const leak = process.argv[2] === 'leak';
const app = new App({ outdir: process.argv[3] });
const appKey = 'com.acme.notes';
const bucketOptions = { accessLogRetention: Duration.days(90), noncurrentVersionRetention: Duration.days(35) };

const us = new Stack(app, 'Notes-US', { env: { region: 'us-east-1' } });
tagRealm(us, 'US');
const usBucket = new DataBucket(us, 'Data', { ...bucketOptions, encryptionKey: new RealmKey(us, 'Key', { appKey, realms: ['US'] }).key });
usBucket.bucket.node.defaultChild.bucketName = 'acme-notes-us-data';

const eu = new Stack(app, 'Notes-EU', { env: { region: 'eu-central-1' } });
tagRealm(eu, 'EU');
const euKey = new RealmKey(eu, 'Key', { appKey, realms: ['EU'] });
const euBucket = new DataBucket(eu, 'Data', { ...bucketOptions, encryptionKey: euKey.key });
new dynamodb.TableV2(eu, 'Sessions', {
  partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
  encryption: dynamodb.TableEncryptionV2.customerManagedKey(euKey.key, leak ? { 'us-east-1': 'arn:aws:kms:us-east-1:111122223333:key/0b6c2f4e-1111-4d2b-9a50-6c1f2a3b4c5d' } : undefined),
  pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  deletionProtection: true,
  replicas: leak ? [{ region: 'us-east-1' }] : [],
});
if (leak) {
  const role = new iam.Role(eu, 'ReplicationRole', { assumedBy: new iam.ServicePrincipal('s3.amazonaws.com') });
  euBucket.bucket.node.defaultChild.replicationConfiguration = {
    role: role.roleArn,
    rules: [{ status: 'Enabled', priority: 1, filter: { prefix: '' }, deleteMarkerReplication: { status: 'Disabled' }, destination: { bucket: 'arn:aws:s3:::acme-notes-us-data' } }],
  };
}

applyCompliance(app);
app.synth();
console.log('synthesized');
`;

describe('the residency guard in a consumer app', () => {
  // The tarball a clean clone packs, installed as a dependency (shared with the other package tests).
  let consumer: string;
  beforeAll(async () => {
    consumer = consumerDir(await installedPackage(), 'residency-guard-consumer');
    writeFileSync(join(consumer, 'app.js'), CONSUMER_APP);
  }, 600_000);
  const synth = (mode: 'leak' | 'keep') => run(process.execPath, ['app.js', mode, join(consumer, `cdk.out.${mode}`)], consumer);

  it('fails synthesis of S3 replication and a global table replica into another jurisdiction, naming both rules', () => {
    const r = synth('leak');
    expect(r.status).not.toBe(0);
    expect(r.out).not.toContain('synthesized');
    // Each finding: the flagged resource, then the id to acknowledge it with (as the CLI prints it).
    expect(r.out).toMatch(
      /Notes-EU\/Data\/Resource\/Resource aws-cdk-lib\.aws_s3\.CfnBucket\s+Acknowledge with 'DataResidency::DataResidency-S3ReplicationInJurisdiction\[Destination::arn:aws:s3:::acme-notes-us-data::us-east-1\]'/,
    );
    expect(r.out).toMatch(
      /Notes-EU\/Sessions\/Resource aws-cdk-lib\.aws_dynamodb\.CfnGlobalTable\s+Acknowledge with 'DataResidency::DataResidency-DynamoDBReplicasInJurisdiction\[Region::us-east-1\]'/,
    );
  });

  it('synthesizes once the replication and the replica are removed', () => {
    const r = synth('keep');
    expect({ status: r.status, problems: r.out.split('\n').filter((l) => /error|violation|fail/i.test(l)) }).toEqual({ status: 0, problems: [] });
    expect(r.out).toContain('synthesized');
  });
});
