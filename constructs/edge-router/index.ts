import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { Construct } from 'constructs';
import { edgeRouterCode } from './code';

export { FUNCTION_CODE_LIMIT_BYTES, edgeRouterCode } from './code';
export { EDGE_REGION } from './edge-region';
export { EDGE_VIEWER_HEADER } from './viewer-header';
export { EDGE_CONTENT_PATHS } from './origin-paths';
export * from './access-log-bucket';
export * from './app-content';
export * from './access-log-delivery';
export * from './edge-firewall';
export * from './security-headers-policy';

/** Props of {@link EdgeRouter}. */
export interface EdgeRouterProps {
  /** Each configured realm's regional host name, Global included (realm name -> host). */
  readonly realmHosts: Readonly<Record<string, string>>;
}

/**
 * The edge half of tenant routing: the hashed tenant directory (a CloudFront
 * KeyValueStore, created empty: writers fill it) and the viewer-request function that
 * reads a request's tenant hint, looks its keyed hash up in the directory, and switches
 * the request's origin to the tenant's regional host (`cf.updateRequestOrigin`).
 *
 * Origin switch, not redirect: the client makes one request and its method, body and
 * `Authorization` header reach the realm unchanged (a 302 would turn an install POST into
 * a GET; a 307 keeps it, but Atlassian's callers need not follow redirects, the security
 * scanner counts a 3xx to an unauthenticated probe as a failure, and a `?jwt=` would be
 * repeated in a `Location` header). The switched origin inherits the default origin's
 * settings (HTTPS only, TLS 1.2), and its host header and SNI become the regional host,
 * which the realm's API serves with its own certificate.
 */
export class EdgeRouter extends Construct {
  /** The tenant directory read by {@link function}. */
  public readonly directory: cloudfront.KeyValueStore;
  /** The router function (cloudfront-js-2.0). */
  public readonly function: cloudfront.Function;
  /** The exact code deployed. */
  public readonly code: string;

  constructor(scope: Construct, id: string, props: EdgeRouterProps) {
    super(scope, id);
    this.code = edgeRouterCode(props.realmHosts);
    this.directory = new cloudfront.KeyValueStore(this, 'Directory', {
      comment: 'cdk-residency tenant directory: keyed hashes of tenant ids -> realm',
    });
    this.function = new cloudfront.Function(this, 'Resource', {
      code: cloudfront.FunctionCode.fromInline(this.code),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      keyValueStore: this.directory,
      comment: 'cdk-residency: routes each request to its tenant realm',
    });
  }

  /** The association that runs the router on every viewer request of a behavior. */
  public get association(): cloudfront.FunctionAssociation {
    return { function: this.function, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST };
  }
}
