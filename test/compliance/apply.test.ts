import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { applyCompliance, compliancePlugins } from '../../lib/compliance';

describe('applyCompliance', () => {
  it('attaches the five cdk-nag packs, the Control Tower rules and our two packs', () => {
    expect(compliancePlugins(new App()).map((p) => p.name)).toEqual([
      'AwsSolutions', 'HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321', 'Serverless', 'cdk-validator-cfnguard', 'DataResidency', 'AtlassianAppSecurity',
    ]);
  });

  it('attaches those plugins, in that order and under the same names and versions, then CloudFormation Validate', () => {
    const app = new App();
    applyCompliance(app);
    const attached = (app as unknown as { _validationPlugins: { name: string; version?: string }[] })._validationPlugins;
    const expected = [...compliancePlugins(new App()), { name: 'CloudFormation Validate', version: require(require.resolve('@aws/cloudformation-validate/package.json', { paths: [require.resolve('aws-cdk-lib')] })).version }];
    expect(attached.map((p) => [p.name, p.version])).toEqual(expected.map((p) => [p.name, p.version]));
  });

  it('makes synth fail on an unacknowledged finding, reported by the pack that found it', () => {
    const app = new App({ context: { '@aws-cdk/core:appMode': 'inmemory' } });
    const stack = new Stack(app, 'S', { env: { region: 'eu-central-1' } });
    new sqs.Queue(stack, 'Q', { enforceSSL: true });
    applyCompliance(app);
    expect(() => app.synth()).toThrow(/ERROR The SQS queue does not have a redrive policy configured. \(Serverless\)/);
  });

  it('makes synth fail on residency and app-security findings, reported by our packs', () => {
    const app = new App({ context: { '@aws-cdk/core:appMode': 'inmemory' } });
    const stack = new Stack(app, 'S', { env: { region: 'eu-central-1' } });
    new s3.Bucket(stack, 'B', { encryption: s3.BucketEncryption.S3_MANAGED, enforceSSL: true });
    applyCompliance(app);
    const message = (() => {
      try {
        app.synth();
        return 'synthesized';
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(message).toMatch(/ERROR The resource stores data in a stack that records no realm.* \(DataResidency\)/);
    expect(message).toMatch(/ERROR The S3 bucket does not encrypt objects by default with a customer managed KMS key. \(AtlassianAppSecurity\)/);
  });
});
