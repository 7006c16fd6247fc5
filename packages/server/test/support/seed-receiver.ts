// Real HTTP receivers on 127.0.0.1 (port 0) for the seed-receiver tests: record each exchange, await the n-th one.
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The body bytes as they arrived (raw receivers), or as the framework handed them to the handler (Express text). */
  body: Buffer;
  /** The status the receiver answered. */
  status: number;
}

export interface Receiver {
  /** Base URL, e.g. http://127.0.0.1:43123 */
  url: string;
  requests: ReceivedRequest[];
  /** The n-th request (0-based) once it has been answered; rejects after timeoutMs. */
  request(n: number, timeoutMs?: number): Promise<ReceivedRequest>;
  close(): Promise<void>;
}

/** What a raw receiver's handler sees: the request with its raw body already read. */
export interface RawRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** 0-based index of this request at this receiver. */
  index: number;
}

export interface RawAnswer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

/** A flat string map of the headers a request arrived with (repeated headers joined the way Node joins them). */
export function headerMap(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  return flat;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

function recorder(server: Server, url: string) {
  const requests: ReceivedRequest[] = [];
  const waiters: { n: number; resolve: (request: ReceivedRequest) => void }[] = [];
  const record = (request: ReceivedRequest) => {
    requests.push(request);
    for (const waiter of waiters.filter((w) => w.n < requests.length)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(requests[waiter.n]!);
    }
  };
  const receiver: Receiver = {
    url,
    requests,
    request: (n, timeoutMs = 10_000) => {
      const seen = requests[n];
      if (seen) return Promise.resolve(seen);
      return new Promise<ReceivedRequest>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(
            new Error(
              `receiver ${url}: request #${n + 1} did not arrive within ${timeoutMs} ms (${requests.length} arrived)`,
            ),
          );
        }, timeoutMs);
        const waiter = {
          n,
          resolve: (request: ReceivedRequest) => {
            clearTimeout(timer);
            resolve(request);
          },
        };
        waiters.push(waiter);
      });
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return { receiver, record };
}

/** A node:http receiver: reads the raw body, asks `answer` what to reply (200 when left out), records the exchange. */
export async function startReceiver(
  answer: (request: RawRequest) => RawAnswer | Promise<RawAnswer> = () => ({ status: 200 }),
): Promise<Receiver> {
  let count = 0;
  let record: (request: ReceivedRequest) => void = () => undefined;
  const server = createServer((req, res) => {
    const index = count++;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw: RawRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
        index,
      };
      void (async () => {
        let reply: RawAnswer;
        try {
          reply = await answer(raw);
        } catch (error) {
          reply = { status: 500, body: String(error) };
        }
        res.writeHead(reply.status, reply.headers);
        res.end(reply.body ?? '');
        record({ method: raw.method, path: raw.path, headers: raw.headers, body: raw.body, status: reply.status });
      })();
    });
  });
  const url = await listen(server);
  const made = recorder(server, url);
  record = made.record;
  return made.receiver;
}

/**
 * Serves any request listener (an Express app, say) and records each exchange when its response is finished.
 * The body recorded is what the framework left in `req.body` when it is a string (express.text), else empty.
 */
export async function startListenerReceiver(listener: RequestListener): Promise<Receiver> {
  let record: (request: ReceivedRequest) => void = () => undefined;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    res.on('finish', () => {
      const parsed = (req as IncomingMessage & { body?: unknown }).body;
      record({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.from(typeof parsed === 'string' ? parsed : '', 'utf8'),
        status: res.statusCode,
      });
    });
    listener(req, res);
  });
  const url = await listen(server);
  const made = recorder(server, url);
  record = made.record;
  return made.receiver;
}
