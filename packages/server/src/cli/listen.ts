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
  body: Buffer;
  /** "ok", "unverified", or the reason and why. */
  verdict: string;
  failure?: WebhookVerificationError;
}

/** Reads and checks one delivery; a body over the limit fails like a bad signature (invalid_body). */
async function judge(req: IncomingMessage, options: ListenOptions, replayStore: MemoryReplayStore): Promise<Outcome> {
  let body: Buffer = Buffer.alloc(0);
  try {
    body = await readRawBody(req);
    if (options.secret === undefined) return { body, verdict: 'unverified' };
    verify(body, req.headers, options.secret, {
      scheme: options.scheme,
      headerPrefix: options.headerPrefix,
      replayStore,
    });
    return { body, verdict: 'ok' };
  } catch (error) {
    if (!(error instanceof WebhookVerificationError)) throw error;
    return { body, verdict: `${error.reason}: ${error.message}`, failure: error };
  }
}

/** Starts the receiver; `print` gets each delivery's report. */
export async function startListener(options: ListenOptions, print: (text: string) => void): Promise<Listener> {
  const replayStore = new MemoryReplayStore();
  const receive = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST') {
      res
        .writeHead(405, { allow: 'POST', 'content-type': 'text/plain' })
        .end('hookd listen: POST webhook deliveries here\n');
      return;
    }
    const at = new Date();
    const { body, verdict, failure } = await judge(req, options, replayStore);
    const status = options.status ?? (failure ? 401 : 200);
    if (failure)
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(failureBody(failure)));
    else res.writeHead(status).end();
    print(describeDelivery({ at, headers: req.headers, body, verdict, status }));
  };
  const server = createServer((req, res) => {
    receive(req, res).catch((error: unknown) => {
      print(`hookd listen: could not read a request: ${error instanceof Error ? error.message : String(error)}\n`);
      if (!res.headersSent) res.writeHead(400).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE')
        reject(new ConfigError(`--port: ${options.host}:${options.port} is already in use`));
      else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN')
        reject(new ConfigError(`--host: cannot listen on "${options.host}"`));
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
export async function listenCommand(argv: string[], env: NodeJS.ProcessEnv, helpText: () => string): Promise<void> {
  const options = parseListenArgs(argv, env);
  if (options === 'help') return void process.stdout.write(helpText());
  const listener = await startListener(options, (text) => process.stdout.write(text));
  const checking =
    options.secret === undefined
      ? 'no --secret: deliveries are printed unverified'
      : `verifying ${options.scheme} signatures`;
  const answering = options.status === undefined ? '' : `, answering ${options.status} to every delivery`;
  process.stdout.write(`hookd listen: receiving on ${listener.url} (${checking}${answering}); Ctrl-C stops\n\n`);
  const stop = () => void listener.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
