import { CfnElement, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';

/**
 * Resolves the logical id of `api`'s deployment once the tree is prepared, and keeps it.
 * aws-cdk-lib names the deployment by a hash of the API and every method and resource (so a
 * changed API gets a new deployment), recomputed, by resolving all of them, each time the id is
 * resolved: seven times a synth, about 0.1 s of a 12-realm one. Constructs validate after the
 * aspects have run and cross-stack references are in place, when nothing the hash covers can
 * change any more, and every later resolution (the template, the metadata, the validation
 * report) gets what aws-cdk-lib would compute. A synth that skips validation computes it as
 * aws-cdk-lib does.
 */
export function keepDeploymentIdOncePrepared(api: apigw.RestApi): void {
  const resource = api.latestDeployment?.node.defaultChild;
  if (!(resource instanceof CfnElement)) return;
  resource.node.addValidation({
    validate: () => {
      if (!(resource as unknown as { _logicalIdLocked?: boolean })._logicalIdLocked) {
        resource.overrideLogicalId(Stack.of(resource).resolve(resource.logicalId));
      }
      return [];
    },
  });
}
