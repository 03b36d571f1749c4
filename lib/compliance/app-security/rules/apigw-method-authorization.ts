import { NagRuleCompliance } from 'cdk-nag';
import { AUTHENTICATED_IN_HANDLER } from '../../../../constructs/secure-api/acknowledgements';
import { defineRule } from '../../rule-pack';

/**
 * Every API method has an authorizer (Lambda, Cognito, IAM, JWT), or is marked with
 * `markAuthenticatedInHandler` as authenticated by its own handler. A CORS preflight
 * (`OPTIONS` with a mock integration) carries no data and is exempt.
 */
export const APIGWMethodAuthorization = defineRule({
  name: 'APIGWMethodAuthorization',
  resourceTypes: ['AWS::ApiGateway::Method', 'AWS::ApiGatewayV2::Route'],
  info: 'The API method has no authorizer and is not marked as authenticated by its handler.',
  explanation:
    "Atlassian's scanner calls every URL of the descriptor without a token, with a token signed by the wrong secret and with alg none; " +
    'each must be refused. A method without an authorizer must say, with markAuthenticatedInHandler, how its handler does that.',
  check: ({ resource, props }) => {
    const type = props.AuthorizationType;
    if (type !== undefined && type !== 'NONE') return NagRuleCompliance.COMPLIANT;
    if (resource.Type === 'AWS::ApiGateway::Method' && props.HttpMethod === 'OPTIONS' && props.Integration?.Type === 'MOCK') return NagRuleCompliance.COMPLIANT;
    const how = resource.Metadata?.[AUTHENTICATED_IN_HANDLER];
    return typeof how === 'string' && how.trim() !== '' ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
});
