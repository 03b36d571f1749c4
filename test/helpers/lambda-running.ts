import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';

const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };

/**
 * Lambda as the SDK sees it: each function name runs its handler in-process on the JSON
 * payload; a handler that throws answers as Lambda does, with `FunctionError` and an error payload.
 * With `queued`, asynchronous invokes (`Event`) are accepted (202) and kept there for the test to deliver.
 */
export function lambdaRunning(handlers: Record<string, (event: unknown) => Promise<unknown>>, queued?: Array<{ functionName: string; event: unknown }>): LambdaClient {
  const client = new LambdaClient({ region: 'eu-central-1', credentials });
  mockClient(client)
    .on(InvokeCommand)
    .callsFake(async ({ FunctionName, InvocationType, Payload }) => {
      const handler = handlers[FunctionName];
      if (!handler) throw new Error(`Function not found: ${FunctionName}`);
      const event = JSON.parse(new TextDecoder().decode(Payload));
      if (InvocationType === 'Event' && queued) {
        queued.push({ functionName: FunctionName, event });
        return { StatusCode: 202 };
      }
      if (InvocationType !== 'RequestResponse') throw new Error(`expected a synchronous invoke, got ${InvocationType}`);
      try {
        return { StatusCode: 200, Payload: new TextEncoder().encode(JSON.stringify(await handler(event))) };
      } catch (e) {
        const error = e as Error;
        return { StatusCode: 200, FunctionError: 'Unhandled', Payload: new TextEncoder().encode(JSON.stringify({ errorType: error.name, errorMessage: error.message })) };
      }
    });
  return client;
}
