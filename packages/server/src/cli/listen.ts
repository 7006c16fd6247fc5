// `hookd listen`: a local receiver that verifies each delivery with @hookd/verify and prints it. No database, no server config.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { failureBody, MemoryReplayStore, verify, WebhookVerificationError } from '@hookd/verify';
import { readRawBody } from '@hookd/verify/node';
import { ConfigError } from '../config/load-config.js';
import { describeDelivery } from './listen-report.js';
import { parseListenArgs, type ListenOptions } from './listen-options.js';

export interface Listener {
  url: string;
  close(): Promise<void>;
}

interface Outcome {
  verdict: string;
  status: number;
  failure?: WebhookVerificationError;
}

function judge(options: ListenOptions, body: Buffer | undefined, req: IncomingMessage, replayStore: MemoryReplayStore): Outcome {
  if (body === undefined) return { verdict: 'invalid_body: larger than the 1 MiB hookd listen reads', status: options.status ?? 413 };
  if (options.secret === undefined) return { verdict: 'unverified', status: options.status ?? 200 };
  try {
    verify(body, req.headers, options.secret, { scheme: options.scheme, headerPrefix: options.headerPrefix, replayStore });
    return { verdict: 'ok', status: options.status ?? 200 };
  } catch (error) {
    if (!(error instanceof WebhookVerificationError)) throw error;
    return { verdict: `${error.reason}: ${error.message}`, status: options.status ?? 401, failure: error };
  }
}

async function receive(options: ListenOptions, replayStore: MemoryReplayStore, req: IncomingMessage, res: ServerResponse, print: (text: string) => void): Promise<void> {
  if (req.method !== 'POST') {
    res.writeHead(405, { allow: 'POST', 'content-type': 'text/plain' }).end('hookd listen: POST webhook deliveries here\n');
    return;
  }
  const at = new Date();
  const body = await readRawBody(req).catch((error: unknown) => {
    if (error instanceof WebhookVerificationError) return undefined;
    throw error;
  });
  const outcome = judge(options, body, req, replayStore);
  if (outcome.failure) res.writeHead(outcome.status, { 'content-type': 'application/json' }).end(JSON.stringify(failureBody(outcome.failure)));
  else res.writeHead(outcome.status).end();
  print(describeDelivery({ at, headers: req.headers, body: body ?? Buffer.alloc(0), verdict: outcome.verdict, status: outcome.status }));
}

/** Starts the receiver; `print` gets each delivery's report. */
export async function startListener(options: ListenOptions, print: (text: string) => void): Promise<Listener> {
  const replayStore = new MemoryReplayStore();
  const server = createServer((req, res) => {
    receive(options, replayStore, req, res, print).catch((error: unknown) => {
      print(`hookd listen: could not read a request: ${error instanceof Error ? error.message : String(error)}\n`);
      if (!res.headersSent) res.writeHead(400).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new ConfigError(`--port: ${options.host}:${options.port} is already in use`));
      else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') reject(new ConfigError(`--host: cannot listen on "${options.host}"`));
      else reject(error);
    });
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Runs `hookd listen` until SIGINT or SIGTERM. */
export async function listenCommand(argv: string[], helpText: () => string): Promise<void> {
  const options = parseListenArgs(argv);
  if (options === 'help') return void process.stdout.write(helpText());
  const listener = await startListener(options, (text) => process.stdout.write(text));
  const checking = options.secret === undefined ? 'no --secret: deliveries are printed unverified' : `verifying ${options.scheme} signatures`;
  const answering = options.status === undefined ? '' : `, answering ${options.status} to every delivery`;
  process.stdout.write(`hookd listen: receiving on ${listener.url} (${checking}${answering}); Ctrl-C stops\n\n`);
  const stop = () => void listener.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
