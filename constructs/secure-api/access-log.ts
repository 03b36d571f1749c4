import * as apigw from 'aws-cdk-lib/aws-apigateway';

/**
 * The fields of one access log line (JSON). Only metadata: the resource template rather
 * than the path as called, never the query string or a header value, so no Connect token
 * (sent as `Authorization: JWT ...` or `?jwt=...`) reaches the log. The tenant is the
 * authorizer's principal (the Connect `clientKey`), an identifier and not a credential.
 */
export const ACCESS_LOG_FIELDS: Readonly<Record<string, string>> = Object.freeze({
  requestId: '$context.requestId',
  requestTime: '$context.requestTimeEpoch',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  domainName: '$context.domainName',
  httpMethod: '$context.httpMethod',
  resource: '$context.resourcePath',
  protocol: '$context.protocol',
  tlsVersion: '$context.tlsVersion',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  authorizerStatus: '$context.authorizer.status',
  authorizerLatency: '$context.authorizer.latency',
  tenant: '$context.authorizer.principalId',
  errorType: '$context.error.responseType',
  wafResponseCode: '$context.wafResponseCode',
  xrayTraceId: '$context.xrayTraceId',
});

/** {@link ACCESS_LOG_FIELDS} as an API Gateway access log format (every value a JSON string). */
export const ACCESS_LOG_FORMAT = apigw.AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS));
