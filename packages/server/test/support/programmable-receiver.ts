// A programmable webhook receiver on 127.0.0.1 (answers a sequence of replies, hangs, drops the socket) and bounded waits, for delivery tests.
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Date.now() when the whole request had arrived. */
  receivedAt: number;
  /** The body parsed as JSON (undefined when it is not JSON); typed loosely, as tests read arbitrary envelope fields. */
  json: any;
}

/** What the receiver does with one request. */
export type Reply =
  | { status: number; headers?: Record<string, string>; body?: string }
  /** Never answer; the socket stays open until the client gives up or the receiver closes. */
  | 'hang'
  /** Answer 200 and the start of a body, then never finish it. */
  | 'hang-mid-body'
  /** Destroy the socket without answering. */
  | 'destroy';

export interface ReceiverOptions {
  /** Replies for the 1st, 2nd, … request; after they run out, `then` answers. */
  replies?: Reply[];
  /** The reply once `replies` is used up (default 200 "ok"); a function decides from the request. */
  then?: Reply | ((request: ReceivedRequest) => Reply);
}

export interface Receiver {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  origin: string;
  /** `${origin}/hook` */
  url: string;
  port: number;
  requests: ReceivedRequest[];
  /** Replace what later requests get: a sequence, then a fallback. */
  program(options: ReceiverOptions): void;
  /** The n-th request (1-based), waiting at most `timeoutMs` for it. */
  nth(n: number, timeoutMs?: number): Promise<ReceivedRequest>;
  close(): Promise<void>;
}

export async function startReceiver(options: ReceiverOptions = {}): Promise<Receiver> {
  let replies: Reply[] = [...(options.replies ?? [])];
  let fallback: NonNullable<ReceiverOptions['then']> = options.then ?? { status: 200, body: 'ok' };
  const requests: ReceivedRequest[] = [];
  const waiters: { n: number; resolve: (request: ReceivedRequest) => void }[] = [];
  const sockets = new Set<Socket>();
  const hanging = new Set<ServerResponse>();

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      const request: ReceivedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
        receivedAt: Date.now(),
        json,
      };
      requests.push(request);
      const reply = replies.shift() ?? (typeof fallback === 'function' ? fallback(request) : fallback);
      for (const waiter of waiters.filter((w) => w.n === requests.length)) waiter.resolve(request);
      if (reply === 'hang' || reply === 'hang-mid-body') {
        if (reply === 'hang-mid-body') {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.write('the start of an answer');
        }
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      if (reply === 'destroy') {
        req.socket.destroy();
        return;
      }
      res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
      res.end(reply.body ?? '');
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    url: `${origin}/hook`,
    port,
    requests,
    program(next) {
      replies = [...(next.replies ?? [])];
      fallback = next.then ?? { status: 200, body: 'ok' };
    },
    nth(n, timeoutMs = 5_000) {
      const already = requests[n - 1];
      if (already) return Promise.resolve(already);
      return new Promise<ReceivedRequest>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(
            new Error(
              `receiver ${origin}: request #${n} did not arrive within ${timeoutMs} ms (got ${requests.length})`,
            ),
          );
        }, timeoutMs);
        waiters.push({
          n,
          resolve: (request) => {
            clearTimeout(timer);
            resolve(request);
          },
        });
      });
    },
    async close() {
      for (const res of hanging) res.destroy();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A 127.0.0.1 port with nothing listening on it (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Calls `check` until it returns without throwing (its value is returned) or `timeoutMs` passes (its last error is
 * thrown). For polling the API for a state the worker reaches on its own.
 */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 5_000, intervalMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
