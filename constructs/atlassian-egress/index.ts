import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ATLASSIAN_API_HOSTS } from '../../runtime/atlassian-api/egress-target';
import { ENV } from '../../runtime/lambda/environment';
import { acknowledge } from '../acknowledge';
import { AppFunction, handlerEntry } from '../app-function';

/** The egress function's Lambda entry. */
export const EGRESS_HANDLER = handlerEntry(__dirname, 'egress');

/** How long the egress function may run: over its call deadline (8 s), under the app function's 15 s. */
export const EGRESS_TIMEOUT = Duration.seconds(10);

/** Props of {@link AtlassianEgress}. */
export interface AtlassianEgressProps {
  /** The realm key: the function's environment and log group. */
  readonly encryptionKey: kms.IKey;
  /** How long the function's log events are kept. */
  readonly logRetention: logs.RetentionDays;
  /** Concurrent executions reserved for (and capped at) the function. @default - none reserved */
  readonly reservedConcurrency?: number;
}

/** The reason every finding of the egress flow is acknowledged with: what leaves, to where, and what bounds it. */
export const EGRESS_FLOW_REASON =
  "tenant.atlassian calls carry tenant data to the customer's own Atlassian site only: the egress function refuses any host but " +
  `the current tenant's site (${ATLASSIAN_API_HOSTS.join(', ')}), over TLS, following no redirect; that data is the customer's own ` +
  "product's, kept where Atlassian pins the site. The data functions themselves have no route out of the VPC.";

/**
 * The one way calls to Atlassian's APIs leave a realm (`tenant.atlassian`): a function outside
 * the VPC with no data permission at all (no table, key, bucket or secret), which the app
 * function invokes through the VPC's Lambda interface endpoint. It reaches only the current
 * tenant's own site on an Atlassian API host over https, follows no redirects, and caps each
 * call's time and size. The DataResidency pack records the flow
 * (`DataResidency-LambdaEgressToAtlassianOnly`), acknowledged here for Atlassian's hosts only.
 */
export class AtlassianEgress extends Construct {
  /** The egress function. */
  public readonly function: AppFunction;

  constructor(scope: Construct, id: string, props: AtlassianEgressProps) {
    super(scope, id);
    this.function = new AppFunction(this, 'Function', {
      entry: EGRESS_HANDLER,
      description: "cdk-residency: calls the tenant's own Atlassian site for the app (no data permission, Atlassian API hosts only)",
      encryptionKey: props.encryptionKey,
      logRetention: props.logRetention,
      reservedConcurrentExecutions: props.reservedConcurrency,
      memorySize: 256,
      timeout: EGRESS_TIMEOUT,
      // The hosts as data for the packs and the trust report; the handler's own list is compiled in and cannot be widened here.
      environment: { [ENV.egressHosts]: JSON.stringify(ATLASSIAN_API_HOSTS) },
    });
    this.function.acknowledgeSynchronousOnly(
      'Invoked synchronously only (RequestResponse, by the app function during a request): a failed call is answered to the ' +
        "vendor's handler as an AtlassianEgressError and to the caller as a 502; nothing is queued for a dead-letter queue to hold.",
    );
    this.function.acknowledgeOutsideVpc(
      "It must reach the customer's Atlassian site on the internet, which the realm's isolated VPC cannot; it holds no data: no " +
        'table, key, bucket or secret permission and no tenant data in its environment, and it calls only Atlassian API hosts over TLS.',
    );
    acknowledge(
      this.function.function.node.defaultChild!,
      EGRESS_FLOW_REASON,
      ...ATLASSIAN_API_HOSTS.map((host) => `DataResidency::DataResidency-LambdaEgressToAtlassianOnly[Egress::${host}]`),
    );
  }

  /** Lets `fn` call Atlassian through the egress function, and tells it where that is (`RESIDENCY_EGRESS_FUNCTION`). */
  public allowInvoke(fn: AppFunction): void {
    fn.function.addEnvironment(ENV.egressFunction, this.function.function.functionName);
    fn.addToDataPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.function.function.functionArn] }));
  }
}
