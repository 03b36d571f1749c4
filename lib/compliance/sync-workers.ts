import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';

// A worker that dies without reporting (out of memory) would otherwise be waited for forever.
const TIMEOUT_MS = 10 * 60_000;

/**
 * Starts `body` (the body of a CommonJS function of `payload`, returning a structured-cloneable
 * value) in one worker thread per payload, side by side, and answers a function that blocks
 * until each has answered (policy validation plugins are synchronous, so the calling thread
 * waits without a loop) and returns the values in payload order. Between the two, the calling
 * thread goes on with other work while the workers run. A body that throws fails the wait with
 * an error naming `what` and the worker's message. The workers do not keep the process alive:
 * a synth that fails before waiting exits as it would without them.
 */
export function startWorkers<R>(what: string, body: string, payloads: readonly unknown[]): () => R[] {
  const source = `
const { workerData } = require('node:worker_threads');
const { payload, port, done } = workerData;
let message;
try {
  message = { value: (function (payload) { ${body} })(payload) };
} catch (error) {
  message = { error: String((error && error.stack) || error) };
}
port.postMessage(message);
Atomics.add(done, 0, 1);
Atomics.notify(done, 0);
`;
  const done = new Int32Array(new SharedArrayBuffer(4));
  const runs = payloads.map((payload) => {
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(source, { eval: true, workerData: { payload, port: port2, done }, transferList: [port2] });
    worker.unref();
    return { worker, port: port1 };
  });
  const deadline = Date.now() + TIMEOUT_MS;
  let answers: R[] | undefined;
  return () => {
    answers ??= waitFor(what, runs, done, deadline);
    return answers;
  };
}

function waitFor<R>(what: string, runs: { worker: Worker; port: MessagePort }[], done: Int32Array, deadline: number): R[] {
  for (let finished = Atomics.load(done, 0); finished < runs.length; finished = Atomics.load(done, 0)) {
    if (Date.now() > deadline) {
      for (const run of runs) void run.worker.terminate();
      throw new Error(`${what} did not finish within ${TIMEOUT_MS / 60_000} minutes`);
    }
    Atomics.wait(done, 0, finished, 1000);
  }
  return runs.map(({ worker, port }) => {
    const received = receiveMessageOnPort(port)?.message as { value?: R; error?: string } | undefined;
    port.close();
    void worker.terminate();
    if (!received || !('value' in received)) throw new Error(`${what} failed: ${received?.error ?? 'a worker ended without an answer'}`);
    return received.value as R;
  });
}
