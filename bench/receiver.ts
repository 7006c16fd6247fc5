// The bench receiver, run as its own process: answers 200 (or what the parent says), counts arrivals per path and
// measures publish→receipt latency from the `sentAt` the load generator put in each event's data.
import { createServer } from 'node:http';
import type { ReceiverCommand, ReceiverLatencies, ReceiverStats } from './protocol.js';

let status = 200;
const hangPrefixes: string[] = [];
let counts = new Map<string, number>();
let latencies = new Map<string, number[]>();
let firstAt = 0;
let lastAt = 0;
const SENT_AT = /"sentAt":(\d+)/;

function pathGroup(url: string): string {
  // "/ok/3" and "/ok/7" are one group; the last segment only tells webhooks apart.
  return url.split('/').slice(0, 2).join('/') || '/';
}

const server = createServer((request, response) => {
  const group = pathGroup(request.url ?? '/');
  if (hangPrefixes.some((prefix) => group === prefix)) {
    request.resume();
    return; // never answer: hookd's timeout ends the attempt
  }
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    response.writeHead(status).end();
    if (status < 200 || status >= 300) return;
    const now = Date.now();
    if (firstAt === 0) firstAt = now;
    lastAt = now;
    counts.set(group, (counts.get(group) ?? 0) + 1);
    const sentAt = SENT_AT.exec(Buffer.concat(chunks).toString('latin1'))?.[1];
    if (sentAt !== undefined) {
      let list = latencies.get(group);
      if (!list) latencies.set(group, (list = []));
      list.push(now - Number(sentAt));
    }
  });
});
server.keepAliveTimeout = 60_000;

process.on('message', (command: ReceiverCommand) => {
  switch (command.type) {
    case 'status':
      status = command.status;
      break;
    case 'hang':
      hangPrefixes.splice(0, hangPrefixes.length, ...command.prefixes);
      break;
    case 'reset':
      counts = new Map();
      latencies = new Map();
      firstAt = 0;
      lastAt = 0;
      break;
    case 'stats': {
      const stats: ReceiverStats = { type: 'stats', counts: Object.fromEntries(counts), firstAt, lastAt };
      process.send!(stats);
      return;
    }
    case 'latencies': {
      const answer: ReceiverLatencies = { type: 'latencies', latencies: latencies.get(command.group) ?? [] };
      process.send!(answer);
      return;
    }
  }
  process.send!({ type: 'ok' });
});

server.listen(0, '127.0.0.1', () => {
  process.send!({ type: 'ready', port: (server.address() as { port: number }).port });
});
