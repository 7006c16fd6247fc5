// The one webhook receiver of the tests: a real node:http server on 127.0.0.1 (port 0) that records each request and
// answers it as the test programs (a sequence of replies, a function of the request, a hang, a dropped socket), or
// serves any request listener (an Express app, say). Tests wait on its requests arriving or being answered.
import { createServer, type IncomingHttpHeaders, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Arrivals } from './arrivals.js';

export interface ReceivedRequest {
  /** 0-based position of this request among those the receiver got. */
  index: number;
  method: string;
  /** The path and query, e.g. /hook?x=1. */
  url: string;
  headers: IncomingHttpHeaders;
  /** The body as UTF-8 text. */
  body: string;
  /** The body bytes as they arrived. */
  raw: Buffer;
  /** The body parsed as JSON (undefined when it is not JSON); typed loosely, as tests read arbitrary envelope fields. */
  json: any;
  /** Date.now() when the whole request had arrived. */
  receivedAt: number;
  /** The status answered, once the answer is sent. */
  status?: number;
  /** The connection it came on (to tell which local process sent it: see peer-process.ts). */
  socket: Socket;
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

/** Decides a reply from the request; a promise holds the answer until it settles (a rejection answers 500). */
export type Answer = (request: ReceivedRequest) => Reply | Promise<Reply>;

export interface ReceiverOptions {
  /** Replies for the 1st, 2nd, … request; after they run out, `then` answers. */
  replies?: Reply[];
  /** The reply once `replies` is used up (default 200 "ok"). */
  then?: Reply | Answer;
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
  /** The n-th request (1-based) once it has arrived, waiting at most `timeoutMs` for it. */
  nth(n: number, timeoutMs?: number): Promise<ReceivedRequest>;
  /** The n-th answer sent (1-based, in the order answers went out; its `status` set), waiting at most `timeoutMs`. */
  answered(n: number, timeoutMs?: number): Promise<ReceivedRequest>;
  close(): Promise<void>;
}

const OK: Reply = { status: 200, body: 'ok' };

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** A flat string map of the headers a request arrived with (repeated headers joined the way Node joins them). */
export function headerMap(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  return flat;
}

/** Sends `reply` on `res`, or leaves it hanging (kept in `hanging` so close() can cut it). */
function send(reply: Reply, res: ServerResponse, hanging: Set<ServerResponse>): number | undefined {
  if (res.destroyed) return undefined; // the sender gave up (or was killed) while the answer was held
  if (reply === 'destroy') {
    res.socket?.destroy();
    return undefined;
  }
  if (reply === 'hang' || reply === 'hang-mid-body') {
    if (reply === 'hang-mid-body') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('the start of an answer');
    }
    hanging.add(res);
    res.on('close', () => hanging.delete(res));
    return undefined;
  }
  res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
  res.end(reply.body ?? '');
  return reply.status;
}

/** A receiver that answers as programmed: `startReceiver({ replies, then })`, or `startReceiver(answer)`. */
export async function startReceiver(options: ReceiverOptions | Answer = {}): Promise<Receiver> {
  let replies: Reply[] = [];
  let fallback: Reply | Answer = OK;
  const program = (next: ReceiverOptions | Answer) => {
    replies = typeof next === 'function' ? [] : [...(next.replies ?? [])];
    fallback = typeof next === 'function' ? next : (next.then ?? OK);
  };
  program(options);
  const hanging = new Set<ServerResponse>();
  return serveRecorded(
    async (request, res) => {
      let reply: Reply;
      try {
        reply = replies.shift() ?? (typeof fallback === 'function' ? await fallback(request) : fallback);
      } catch (error) {
        reply = { status: 500, body: String(error) };
      }
      return send(reply, res, hanging);
    },
    { program, hanging },
  );
}

/**
 * Serves any request listener (an Express app, say) and records each exchange when its response is finished. The
 * body recorded is what the framework left in `req.body` when it is a string (express.text), else empty.
 */
export function startListenerReceiver(listener: RequestListener): Promise<Receiver> {
  return serveRecorded(undefined, { listener });
}

const running = new Set<Receiver>();

/** Closes every receiver these helpers started that is still open (call in afterEach). */
export async function closeAllReceivers(): Promise<void> {
  await Promise.all([...running].map((receiver) => receiver.close()));
}

type Respond = (request: ReceivedRequest, res: ServerResponse) => Promise<number | undefined>;

/**
 * The server's request listener: records each request as it arrives (in `arrivals`) and as it is answered (in
 * `answers`), answered by `respond` or, for a listener receiver, by `listener` (recorded when its response ends).
 */
function recordingListener(
  respond: Respond | undefined,
  listener: RequestListener | undefined,
  recorded: { arrivals: Arrivals<ReceivedRequest>; answers: Arrivals<ReceivedRequest> },
): RequestListener {
  return (req, res) => {
    const record = (raw: Buffer): ReceivedRequest => {
      const body = raw.toString('utf8');
      const request: ReceivedRequest = {
        index: recorded.arrivals.items.length,
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
        raw,
        json: parseJson(body),
        receivedAt: Date.now(),
        socket: req.socket,
      };
      recorded.arrivals.add(request);
      return request;
    };
    const answered = (request: ReceivedRequest, status: number | undefined) => {
      if (status === undefined) return;
      request.status = status;
      recorded.answers.add(request);
    };
    if (listener) {
      res.on('finish', () => {
        const parsed = (req as { body?: unknown }).body;
        answered(record(Buffer.from(typeof parsed === 'string' ? parsed : '', 'utf8')), res.statusCode);
      });
      return listener(req, res);
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = record(Buffer.concat(chunks));
      void respond!(request, res).then((status) => answered(request, status));
    });
  };
}

async function serveRecorded(
  respond: Respond | undefined,
  extra: { program?: Receiver['program']; hanging?: Set<ServerResponse>; listener?: RequestListener },
): Promise<Receiver> {
  const arrivals = new Arrivals<ReceivedRequest>();
  const answers = new Arrivals<ReceivedRequest>();
  const sockets = new Set<Socket>();
  const server = createServer(recordingListener(respond, extra.listener, { arrivals, answers }));
  // Idle connections stay open as long as a sender keeps its own (undici: 4 s, more with keep-alive hints), so a
  // request is never sent on a connection the receiver is just closing; close() ends them all anyway.
  server.keepAliveTimeout = 60_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const receiver: Receiver = {
    origin,
    url: `${origin}/hook`,
    port,
    requests: arrivals.items,
    program: (next) => {
      if (!extra.program) throw new Error('a listener receiver answers as its listener does');
      extra.program(next);
    },
    nth: (n, timeoutMs = 5_000) => arrivals.nth(n, `receiver ${origin}: request #${n} to arrive`, timeoutMs),
    answered: (n, timeoutMs = 10_000) => answers.nth(n, `receiver ${origin}: its answer #${n}`, timeoutMs),
    async close() {
      running.delete(receiver);
      for (const res of extra.hanging ?? []) res.destroy();
      for (const socket of sockets) socket.destroy();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  running.add(receiver);
  return receiver;
}

/** A 127.0.0.1 port with nothing listening on it (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
