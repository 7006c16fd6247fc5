// A receiver that answers 200 to every delivery, but holds its answers until `release()`: deliveries kept in flight
// while a test changes something under hookd (fills its disk, kills it).
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HoldingReceiver {
  url: string;
  /** The event id of every delivery received, repeats included. */
  eventIds: string[];
  /** Deliveries received and not answered yet. */
  held(): number;
  /** Answers the deliveries held, and every later one at once. */
  release(): void;
  close(): Promise<void>;
}

export async function startHoldingReceiver(): Promise<HoldingReceiver> {
  const waiting: ServerResponse[] = [];
  let holding = true;
  const eventIds: string[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      eventIds.push((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string }).id);
      if (holding) waiting.push(response);
      else response.end('ok');
    });
  });
  const release = () => {
    holding = false;
    for (const response of waiting.splice(0)) response.end('ok');
  };
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    eventIds,
    held: () => waiting.length,
    release,
    close: async () => {
      release();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
