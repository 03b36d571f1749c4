import { App, Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { applyCompliance, compliancePlugins } from '../../lib/compliance';

describe('applyCompliance', () => {
  it('attaches the five cdk-nag packs and the Control Tower rules', () => {
    expect(compliancePlugins(new App()).map((p) => p.name)).toEqual([
      'AwsSolutions', 'HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321', 'Serverless', 'cdk-validator-cfnguard',
    ]);
  });

  it('makes synth fail on an unacknowledged finding, reported by the pack that found it', () => {
    const app = new App({ context: { '@aws-cdk/core:appMode': 'inmemory' } });
    const stack = new Stack(app, 'S', { env: { region: 'eu-central-1' } });
    new sqs.Queue(stack, 'Q', { enforceSSL: true });
    applyCompliance(app);
    expect(() => app.synth()).toThrow(/ERROR The SQS queue does not have a redrive policy configured. \(Serverless\)/);
  });
});
