// The SQLite store's own thread: opens the file, runs the calls the main thread sends, answers in batches.
// Every call of one message is started at once, so the store's group commit puts their writes in one transaction.
import { parentPort, workerData } from 'node:worker_threads';
import type { Store } from '../store.js';
import { openSqliteStore } from './sqlite-store.js';
import { serializeError, type OpenedMessage, type StoreCall, type StoreReply } from './thread-protocol.js';

const port = parentPort!;
let store: Store;
try {
  store = openSqliteStore((workerData as { file: string }).file);
  port.postMessage({ opened: true, capabilities: store.capabilities, entry: import.meta.url } satisfies OpenedMessage);
} catch (error) {
  port.postMessage({ opened: false, error: serializeError(error) } satisfies OpenedMessage);
  process.exit(0);
}

// Answers go back as soon as they are ready (a claim does not wait for the next group commit), batched only with
// those that resolve together: the group commit resolves all its writes at once.
let replies: StoreReply[] = [];
function reply(answer: StoreReply): void {
  if (replies.length === 0)
    queueMicrotask(() => {
      port.postMessage(replies);
      replies = [];
    });
  replies.push(answer);
}

port.on('message', (calls: StoreCall[]) => {
  const methods = store as unknown as Record<StoreCall['method'], (...args: unknown[]) => Promise<unknown>>;
  for (const call of calls) {
    methods[call.method](...call.args).then(
      (value) => reply({ id: call.id, ok: true, value }),
      (error: unknown) => reply({ id: call.id, ok: false, error: serializeError(error) }),
    );
  }
});
