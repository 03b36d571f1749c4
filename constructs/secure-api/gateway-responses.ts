import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { SECURITY_HEADERS } from '../../runtime/http/security-headers';

/** One gateway response the API overrides: its status and the one word its body says. */
export interface GatewayResponseSpec {
  /** Which gateway response. */
  readonly type: apigw.ResponseType;
  /** The status sent; absent keeps API Gateway's (DEFAULT_4XX/5XX cover several). */
  readonly statusCode?: string;
  /** The body's `error` value: says what class of refusal, never why. */
  readonly error: string;
}

/** The gateway responses of the secure API: every refusal API Gateway itself sends. */
export const GATEWAY_RESPONSES: readonly GatewayResponseSpec[] = [
  // The authorizers throw 'Unauthorized' for any failed check.
  { type: apigw.ResponseType.UNAUTHORIZED, statusCode: '401', error: 'unauthorized' },
  { type: apigw.ResponseType.ACCESS_DENIED, statusCode: '403', error: 'forbidden' },
  // Every method has a custom authorizer, so this one means "no such route".
  { type: apigw.ResponseType.MISSING_AUTHENTICATION_TOKEN, statusCode: '404', error: 'not_found' },
  { type: apigw.ResponseType.WAF_FILTERED, statusCode: '403', error: 'forbidden' },
  { type: apigw.ResponseType.THROTTLED, statusCode: '429', error: 'too_many_requests' },
  { type: apigw.ResponseType.DEFAULT_4XX, error: 'bad_request' },
  { type: apigw.ResponseType.DEFAULT_5XX, error: 'internal_error' },
];

/**
 * {@link SECURITY_HEADERS} as gateway response parameters: static values in single quotes.
 * A value that itself holds a single quote is refused rather than sent ambiguously.
 */
export function gatewayResponseHeaders(headers: Readonly<Record<string, string>> = SECURITY_HEADERS): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => {
      if (value.includes("'")) throw new Error(`gateway response header ${name}: found a single quote in "${value}"; expected a value without one`);
      return [name, `'${value}'`];
    }),
  );
}

/** Adds {@link GATEWAY_RESPONSES} to `api`, each with every security header and a body that reveals nothing. */
export function addGatewayResponses(api: apigw.RestApi): apigw.GatewayResponse[] {
  const responseHeaders = gatewayResponseHeaders();
  return GATEWAY_RESPONSES.map((spec) =>
    api.addGatewayResponse(spec.type.responseType, {
      type: spec.type,
      statusCode: spec.statusCode,
      responseHeaders,
      templates: { 'application/json': JSON.stringify({ error: spec.error }) },
    }),
  );
}
