// LISTEN on a channel on a connection of its own: hookd_due, so idle workers wake when any process publishes, and
// hookd_api_key_revoked, so API processes forget cached keys. The connection is made again after a loss (PostgreSQL
// restarted, say), with a growing pause between tries; each new connection also reports a notification once, since
// NOTIFYs sent while it was down are lost.
import type pg from 'pg';
import type { PostgresDatabase } from './database.js';
import { DUE_CHANNEL } from './events.js';

const FIRST_RETRY_MS = 100;
const LAST_RETRY_MS = 5_000;

export function watchDueWork(
  database: PostgresDatabase,
  onDue: () => void,
  onProblem: (error: Error) => void,
): Promise<() => Promise<void>> {
  return watchChannel(database, DUE_CHANNEL, onDue, onProblem);
}

/** Ends a client that failed: it may never emit 'end', and its own error was already reported. */
function endQuietly(failed: pg.Client | undefined): void {
  failed?.end().catch(() => {});
}

export async function watchChannel(
  database: PostgresDatabase,
  channel: string,
  onNotified: () => void,
  onProblem: (error: Error) => void,
): Promise<() => Promise<void>> {
  let stopped = false;
  let client: pg.Client | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let retryMs = FIRST_RETRY_MS;

  const connect = async (): Promise<void> => {
    const next = database.newClient();
    // Errors arrive here and as 'end'; 'end' alone drives the reconnect, so each loss is handled once.
    next.on('error', (error) => onProblem(error));
    next.on('notification', () => onNotified());
    next.on('end', () => {
      if (client === next) client = undefined;
      if (!stopped) scheduleReconnect();
    });
    client = next;
    await next.connect();
    await next.query(`LISTEN ${channel}`);
    if (stopped) await next.end();
  };

  const scheduleReconnect = () => {
    if (retryTimer || stopped) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      reconnect();
    }, retryMs);
    retryMs = Math.min(retryMs * 2, LAST_RETRY_MS);
  };

  const reconnect = () => {
    connect().then(
      () => {
        retryMs = FIRST_RETRY_MS;
        onNotified();
      },
      (error: unknown) => {
        onProblem(error as Error);
        // A client that failed to connect may never emit 'end'.
        endQuietly(client);
        client = undefined;
        scheduleReconnect();
      },
    );
  };

  try {
    await connect();
  } catch (error) {
    // The first connection's failure is the caller's to see (a wrong URL should stop start-up).
    stopped = true;
    endQuietly(client);
    client = undefined;
    throw error;
  }
  return async () => {
    stopped = true;
    clearTimeout(retryTimer);
    await client?.end().catch(() => {});
  };
}
