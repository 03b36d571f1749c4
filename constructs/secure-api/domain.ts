import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';

/**
 * The TLS policy of every custom domain: `TLS_1_2` (TLS 1.2 minimum). aws-cdk-lib 2.276
 * also offers the enhanced `SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09`, but Control Tower's
 * CT.APIGATEWAY.PR.6 accepts `TLS_1_2` only and enhanced policies need an endpoint access mode.
 */
export const DOMAIN_SECURITY_POLICY = apigw.SecurityPolicy.TLS_1_2;

/** Props of {@link ApiDomain}. */
export interface ApiDomainProps {
  /** The host names to serve, each inside `hostedZone`; the first is the certificate's subject. */
  readonly hostnames: readonly string[];
  /** The Route 53 zone holding the names (validation and alias records go there). */
  readonly hostedZone: route53.IHostedZone;
  /** The stage every host name maps to, at the root path. */
  readonly stage: apigw.Stage;
}

/**
 * The API's custom domains: one DNS-validated ACM certificate covering every host name,
 * a regional custom domain per host name with {@link DOMAIN_SECURITY_POLICY}, mapped to
 * the stage at the root, and a Route 53 alias record for each.
 */
export class ApiDomain extends Construct {
  /** The certificate covering every host name. */
  public readonly certificate: acm.Certificate;
  /** The custom domains, in the order of the host names. */
  public readonly domainNames: readonly apigw.DomainName[];
  /** The alias records, in the order of the host names. */
  public readonly records: readonly route53.ARecord[];

  constructor(scope: Construct, id: string, props: ApiDomainProps) {
    super(scope, id);
    const [subject, ...others] = props.hostnames;
    if (subject === undefined) throw new Error(`ApiDomain ${this.node.path}: found no host names; expected at least one`);
    if (new Set(props.hostnames).size !== props.hostnames.length) {
      throw new Error(`ApiDomain ${this.node.path}: found host names ${props.hostnames.join(', ')}; expected each once`);
    }
    this.certificate = new acm.Certificate(this, 'Certificate', {
      domainName: subject,
      subjectAlternativeNames: others.length > 0 ? others : undefined,
      validation: acm.CertificateValidation.fromDns(props.hostedZone),
    });
    const domains: apigw.DomainName[] = [];
    const records: route53.ARecord[] = [];
    for (const hostname of props.hostnames) {
      const domain = new apigw.DomainName(this, hostname, {
        domainName: hostname,
        certificate: this.certificate,
        endpointType: apigw.EndpointType.REGIONAL,
        securityPolicy: DOMAIN_SECURITY_POLICY,
      });
      domain.addBasePathMapping(props.stage.restApi, { stage: props.stage });
      records.push(
        new route53.ARecord(domain, 'Alias', {
          zone: props.hostedZone,
          recordName: hostname,
          target: route53.RecordTarget.fromAlias(new targets.ApiGatewayDomain(domain)),
        }),
      );
      domains.push(domain);
    }
    this.domainNames = domains;
    this.records = records;
  }
}
