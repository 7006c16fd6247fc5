// One POST through an undici dispatcher: the answer's status, headers and first bytes, within a deadline.
// A dispatch handler of our own rather than undici's request(): that wraps every answer in a Readable stream and
// needs an AbortSignal for the deadline, and at thousands of deliveries a second the streams, signals and their
// listeners were a tenth of the delivering thread's time, most of the rest of it in collecting their garbage.
import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';

export interface ExchangeRequest {
  url: URL;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** Bytes of the answer's body kept; the connection is dropped rather than read past them. */
  bodyLimit: number;
}

export interface ExchangeAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** At most `bodyLimit` bytes of it. */
  body: Buffer;
}

/** The error a request past its deadline fails with (see describeSendError). */
export class ExchangeTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`no complete answer within ${timeoutMs} ms`);
    this.name = 'TimeoutError';
  }
}

/** Resolves with the answer, or rejects with the connection's error or an ExchangeTimeoutError. */
export function exchange(dispatcher: Dispatcher, request: ExchangeRequest): Promise<ExchangeAnswer> {
  return new Promise((resolve, reject) => {
    const handler = new ExchangeHandler(request, resolve, reject);
    try {
      dispatcher.dispatch(
        {
          origin: request.url.origin,
          path: request.url.pathname + request.url.search,
          method: 'POST',
          headers: request.headers,
          body: request.body,
        },
        handler,
      );
    } catch (error) {
      // Settles the exchange and clears its deadline, which would otherwise hold the process open for its length.
      handler.onResponseError(undefined, error as Error);
    }
  });
}

class ExchangeHandler implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined;
  private settled = false;
  private status = 0;
  private headers: IncomingHttpHeaders = {};
  private readonly chunks: Buffer[] = [];
  private size = 0;
  // The deadline covers the whole exchange, connecting and the body included: a receiver that answers its headers
  // and then trickles the body does not hold the slot past it.
  private readonly deadline: NodeJS.Timeout;

  constructor(
    private readonly request: ExchangeRequest,
    private readonly resolve: (answer: ExchangeAnswer) => void,
    private readonly reject: (error: Error) => void,
  ) {
    this.deadline = setTimeout(() => this.fail(new ExchangeTimeoutError(request.timeoutMs)), request.timeoutMs);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    // Timed out while still connecting: the request goes no further.
    if (this.settled) controller.abort(new ExchangeTimeoutError(this.request.timeoutMs));
  }

  // Called again after a 1xx informational answer: the last one is the answer.
  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    this.status = statusCode;
    this.headers = headers;
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.settled) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.size >= this.request.bodyLimit) {
      this.succeed();
      controller.abort(new Error('the rest of the answer is not read'));
    }
  }

  onResponseEnd(): void {
    this.succeed();
  }

  // The controller is missing when the request was refused before it started (an invalid header, say).
  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    this.fail(error);
  }

  private succeed(): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.deadline);
    const body = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    this.resolve({
      status: this.status,
      headers: this.headers,
      body: body.length > this.request.bodyLimit ? body.subarray(0, this.request.bodyLimit) : body,
    });
  }

  private fail(error: Error): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.deadline);
    this.controller?.abort(error);
    this.reject(error);
  }
}
