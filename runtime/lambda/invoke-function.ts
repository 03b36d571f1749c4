import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';

const FUNCTION_NAME = /^[A-Za-z0-9:_-]{1,170}$/;

/**
 * A function another function invokes synchronously with a JSON payload: the tenant
 * directory's relay and writer, and a realm's migration function.
 */
export class InvokedFunction {
  /** The function's name or ARN. */
  public readonly name: string;
  private readonly client: LambdaClient;

  /**
   * @param what what the function is, for error messages ("tenant directory function")
   * @param client the Lambda client; by default one in the region of `name` when it is an ARN, else the caller's own
   * @throws TypeError when `name` is neither a function name nor an ARN
   */
  constructor(private readonly what: string, name: string, client?: LambdaClient) {
    if (typeof name !== 'string' || !FUNCTION_NAME.test(name)) throw new TypeError(`The ${what} must be a Lambda function name or ARN; found ${JSON.stringify(String(name).slice(0, 200))}`);
    this.name = name;
    const region = /^arn:aws[a-z-]*:lambda:([a-z0-9-]+):/.exec(name)?.[1];
    this.client = client ?? new LambdaClient(region ? { region } : {});
  }

  /**
   * Invokes the function with `payload` (RequestResponse) and returns its parsed JSON answer.
   * @throws Error naming the function and `action`: with the function's own error message when
   *   it failed, or saying that the answer is not JSON
   */
  public async call(action: string, payload: unknown): Promise<unknown> {
    const out = await this.client.send(
      new InvokeCommand({ FunctionName: this.name, InvocationType: 'RequestResponse', Payload: new TextEncoder().encode(JSON.stringify(payload)) }),
    );
    const text = out.Payload ? new TextDecoder().decode(out.Payload) : '';
    if (out.FunctionError) throw new Error(`${this.what} ${this.name} failed on ${action}: ${errorMessageOf(text)}`);
    try {
      return JSON.parse(text);
    } catch {
      throw new Error(`${this.what} ${this.name} answered ${action} with something that is not JSON`);
    }
  }
}

// Lambda's error payload is {"errorType","errorMessage",...}; only the message is kept.
function errorMessageOf(text: string): string {
  try {
    return String((JSON.parse(text) as { errorMessage?: unknown }).errorMessage ?? text).slice(0, 300);
  } catch {
    return text.slice(0, 300);
  }
}
