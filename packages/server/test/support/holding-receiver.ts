// A receiver that answers 200 to every delivery, but holds its answers until `release()`: deliveries kept in flight
// while a test changes something under hookd (fills its disk, kills it). Built on the one test receiver.
import { startReceiver } from './receiver.js';

export interface HoldingReceiver {
  url: string;
  /** The event id of every delivery received, repeats included. */
  readonly eventIds: string[];
  /** Deliveries received and not answered yet. */
  held(): number;
  /** Answers the deliveries held, and every later one at once. */
  release(): void;
  close(): Promise<void>;
}

export async function startHoldingReceiver(): Promise<HoldingReceiver> {
  let holding = true;
  const waiting: (() => void)[] = [];
  const receiver = await startReceiver(async () => {
    if (holding) await new Promise<void>((answer) => waiting.push(answer));
    return { status: 200, body: 'ok' };
  });
  const release = () => {
    holding = false;
    for (const answer of waiting.splice(0)) answer();
  };
  return {
    url: receiver.url,
    get eventIds() {
      return receiver.requests.map((request) => (request.json as { id: string }).id);
    },
    held: () => waiting.length,
    release,
    close: async () => {
      release();
      await receiver.close();
    },
  };
}
