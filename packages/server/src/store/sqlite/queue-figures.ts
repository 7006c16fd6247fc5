// /metrics's database figures on SQLite (see store/queue-figures.ts).
import { tallyWebhookStates, type QueueFigures } from '../queue-figures.js';
import { toDate, type SqliteDatabase } from './database.js';

/**
 * Walks the webhooks (CROSS JOIN keeps them the outer loop: without it, and without ANALYZE's statistics, SQLite
 * scanned every pending delivery instead) and, for each one that delivers, ranges over its due entries in
 * deliveries_pending_by_webhook_due: the work follows the due backlog and the number of webhooks, never the
 * finished deliveries (a log of millions costs nothing here).
 */
export function readQueueFigures(database: SqliteDatabase, now: Date): QueueFigures {
  const due = database
    .prepared(
      `SELECT COUNT(*) AS due, MIN(d.next_attempt_at) AS oldest
       FROM webhooks w CROSS JOIN deliveries d INDEXED BY deliveries_pending_by_webhook_due
         ON d.webhook_id = w.id AND d.status = 'pending' AND d.next_attempt_at <= @now
       WHERE w.active = 1 AND w.status != 'disabled'`,
    )
    .get({ now: now.getTime() }) as { due: number; oldest: number | null };
  const states = database
    .prepared('SELECT status, active, COUNT(*) AS count FROM webhooks GROUP BY status, active')
    .all() as { status: string; active: number; count: number }[];
  return {
    dueDeliveries: due.due,
    oldestDueAt: due.oldest === null ? undefined : toDate(due.oldest),
    webhooksByState: tallyWebhookStates(states),
  };
}
