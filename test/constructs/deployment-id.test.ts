import { App, Aspects, CfnElement, IAspect, Stack, Tags, Token } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { IConstruct } from 'constructs';
import { keepDeploymentIdOncePrepared } from '../../constructs/secure-api/deployment-id';

// An API whose hash changes after the call (a method added later, a tag an aspect adds at prepare).
function apiApp(extraMethod = false): { app: App; api: apigw.RestApi } {
  const app = new App();
  const stack = new Stack(app, 'S', { env: { region: 'eu-central-1' } });
  const api = new apigw.RestApi(stack, 'Api', { deployOptions: { stageName: 'v1' } });
  api.root.addResource('a').addMethod('GET', new apigw.MockIntegration());
  keepDeploymentIdOncePrepared(api);
  api.root.addResource('b').addMethod('POST', new apigw.MockIntegration());
  if (extraMethod) api.root.addResource('c').addMethod('PUT', new apigw.MockIntegration());
  Aspects.of(app).add(new (class implements IAspect {
    visit(node: IConstruct): void {
      if (node instanceof apigw.CfnRestApi) Tags.of(node).add('realm', 'EU');
    }
  })());
  return { app, api };
}

const deploymentIds = (template: any) => Object.entries(template.Resources).filter(([, r]: any) => r.Type === 'AWS::ApiGateway::Deployment').map(([id]) => id);

describe('keepDeploymentIdOncePrepared', () => {
  it('keeps the id aws-cdk-lib computes for the prepared tree (late methods and aspects included), resolved once', () => {
    const kept = apiApp();
    const template = kept.app.synth().getStackByName('S').template;
    // aws-cdk-lib's own computation: without validation, nothing is kept.
    const own = apiApp();
    const ownTemplate = own.app.synth({ skipValidation: true }).getStackByName('S').template;
    expect(deploymentIds(template)).toHaveLength(1);
    expect(JSON.stringify(template)).toBe(JSON.stringify(ownTemplate));
    // Kept as a literal, where aws-cdk-lib leaves a token it resolves again each time.
    const override = (r: apigw.RestApi) => (r.latestDeployment!.node.defaultChild as unknown as { _logicalIdOverride: string })._logicalIdOverride;
    expect(Token.isUnresolved(override(kept.api))).toBe(false);
    expect(Token.isUnresolved(override(own.api))).toBe(true);
    expect((kept.api.latestDeployment!.node.defaultChild as CfnElement).stack.resolve((kept.api.latestDeployment!.node.defaultChild as CfnElement).logicalId)).toBe(deploymentIds(template)[0]);
  });

  it('still names a changed API by another deployment', () => {
    const one = deploymentIds(apiApp().app.synth().getStackByName('S').template);
    const other = deploymentIds(apiApp(true).app.synth().getStackByName('S').template);
    expect(other).not.toEqual(one);
  });
});
