import { InvokedFunction } from '../lambda/invoke-function';
import { EgressRequest, EgressResponse, EgressSender } from './egress-messages';

/**
 * The egress path as the app function uses it: the egress function (outside the VPC, no data
 * permission) invoked synchronously through the VPC's Lambda interface endpoint.
 */
export class FunctionEgress implements EgressSender {
  private readonly fn: InvokedFunction;

  /** @param functionName the egress function's name or ARN (`RESIDENCY_EGRESS_FUNCTION`) */
  constructor(functionName: string) {
    this.fn = new InvokedFunction('Atlassian egress function', functionName);
  }

  public async send(request: EgressRequest): Promise<EgressResponse> {
    let answer: unknown;
    try {
      answer = await this.fn.call('call', request);
    } catch (error) {
      // A failed invocation (throttled, timed out in Lambda) is the call not made: never its payload.
      return { failure: 'unreachable', reason: (error as Error).message.slice(0, 200) };
    }
    const a = answer as Partial<Record<string, unknown>>;
    if (typeof a?.status === 'number' && typeof a.body === 'string' && typeof a.headers === 'object') return answer as EgressResponse;
    if (typeof a?.failure === 'string' && typeof a.reason === 'string') return answer as EgressResponse;
    return { failure: 'unreachable', reason: 'the egress function answered something that is not an egress response' };
  }
}
