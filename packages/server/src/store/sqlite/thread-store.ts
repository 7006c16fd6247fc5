// The SQLite store run in a thread of its own, behind the same Store interface. better-sqlite3 is synchronous: on the
// main thread every query and commit stops the HTTP work; here they run beside it, on the second core. Calls made
// in one turn of the event loop cross in one message, and their answers come back the same way.
import { Worker } from 'node:worker_threads';
import type { Store } from '../store.js';
import {
  deserializeError,
  type OpenedMessage,
  type StoreCall,
  type StoreMethod,
  type StoreReply,
} from './thread-protocol.js';

/**
 * Starts the store's thread. From dist/ its compiled entry sits beside this module; run from source (vitest, tsx) it
 * is dist/'s too, which the tests' global setup (test-setup/build-before-tests.ts) rebuilds before any test runs, so
 * a test never runs an older build of the SQLite code than the source it sees.
 */
export function startStoreThread(file: string): Worker {
  const entry = import.meta.url.endsWith('.ts') ? '../../../dist/store/sqlite/thread-worker.js' : './thread-worker.js';
  return new Worker(new URL(entry, import.meta.url), { workerData: { file } });
}

// Every method of the Store, so the compiler says so when the interface gains one this proxy does not forward.
const METHODS = {
  migrate: true,
  ping: true,
  close: true,
  insertWorkspace: true,
  getWorkspace: true,
  findWorkspaceByName: true,
  listWorkspaces: true,
  updateWorkspace: true,
  insertApiKey: true,
  hasAdminKey: true,
  findApiKeysByLookup: true,
  listApiKeys: true,
  revokeApiKey: true,
  recordApiKeyUse: true,
  watchApiKeyRevocations: true,
  insertBrowserSession: true,
  findLiveBrowserSession: true,
  deleteBrowserSession: true,
  insertWebhook: true,
  getWebhook: true,
  listWebhooks: true,
  listWebhookIds: true,
  countWebhooks: true,
  updateWebhook: true,
  deleteWebhook: true,
  listStoredSecrets: true,
  replaceStoredSecrets: true,
  insertEventType: true,
  getEventType: true,
  listEventTypes: true,
  deleteEventType: true,
  listSubscribedWebhooks: true,
  insertEventWithDeliveries: true,
  findEvent: true,
  findEventByIdempotencyKey: true,
  listEvents: true,
  claimDueDeliveries: true,
  recordAttempts: true,
  releaseDeliveries: true,
  releaseAllLeases: true,
  watchDueWork: true,
  nextDueAt: true,
  readQueueFigures: true,
  listDeliveries: true,
  getDelivery: true,
  listHourlyCounts: true,
  listAttempts: true,
  restartDeliveries: true,
  deleteFinishedDeliveries: true,
  deleteEventsWithoutDeliveries: true,
  deleteExpiredBrowserSessions: true,
  deleteHourlyCountsBefore: true,
  disableLongFailingWebhooks: true,
  setAlertSecret: true,
  claimDueAlerts: true,
  releaseAlertLeases: true,
  recordAlertOutcomes: true,
  listStoredAlertSecrets: true,
  deleteFinishedAlerts: true,
  replaceStoredAlertSecrets: true,
} satisfies Record<StoreMethod, true>;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Opens `file` in a new thread; rejects with the opening error (a bad path, say) as the in-thread store would throw. */
export async function openSqliteStoreInThread(file: string): Promise<Store> {
  const worker = startStoreThread(file);
  const opened = await new Promise<OpenedMessage>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  if (!opened.opened) {
    await worker.terminate();
    throw deserializeError(opened.error);
  }

  const pending = new Map<number, Pending>();
  let nextId = 1;
  let outbox: StoreCall[] = [];
  let stopped: Error | undefined;

  const fail = (error: Error) => {
    stopped ??= error;
    for (const waiter of pending.values()) waiter.reject(stopped);
    pending.clear();
  };
  worker.on('error', (error) => fail(new Error(`the SQLite store's thread failed: ${error.message}`)));
  worker.on('exit', (code) => fail(new Error(`the SQLite store's thread exited (${code})`)));
  worker.on('message', (replies: StoreReply[]) => {
    for (const reply of replies) {
      const waiter = pending.get(reply.id);
      if (!waiter) continue;
      pending.delete(reply.id);
      if (reply.ok) waiter.resolve(reply.value);
      else waiter.reject(deserializeError(reply.error));
    }
  });

  const call = (method: StoreMethod, args: unknown[]): Promise<unknown> => {
    if (stopped) return Promise.reject(stopped);
    return new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      if (outbox.length === 0)
        setImmediate(() => {
          worker.postMessage(outbox);
          outbox = [];
        });
      outbox.push({ id, method, args });
    });
  };

  const store = Object.fromEntries(
    Object.keys(METHODS).map((method) => [method, (...args: unknown[]) => call(method as StoreMethod, args)]),
  ) as unknown as Store;
  return {
    ...store,
    capabilities: opened.capabilities,
    // Callbacks cannot cross to the thread, and a single-process store has nothing to watch.
    watchDueWork: async () => async () => {},
    watchApiKeyRevocations: async () => async () => {},
    close: async () => {
      if (stopped) return;
      await call('close', []);
      fail(new Error('the store is closed'));
      await worker.terminate();
    },
  };
}
