// /metrics's database figures on PostgreSQL (see store/queue-figures.ts): read at each scrape, so every process
// sharing the database reports the same queue.
import { tallyWebhookStates, type QueueFigures } from '../queue-figures.js';
import type { PostgresDatabase } from './database.js';

/**
 * One index range per webhook that delivers (deliveries_pending_by_webhook_due, through LATERAL): the work follows
 * the due backlog and the number of webhooks, never the finished deliveries.
 */
export async function readQueueFigures(database: PostgresDatabase, now: Date): Promise<QueueFigures> {
  const [due] = await database.query<{ due: string; oldest: Date | null }>(
    `SELECT COALESCE(SUM(q.due), 0) AS due, MIN(q.oldest) AS oldest
     FROM webhooks w CROSS JOIN LATERAL (
       SELECT count(*) AS due, min(d.next_attempt_at) AS oldest FROM deliveries d
       WHERE d.webhook_id = w.id AND d.status = 'pending' AND d.next_attempt_at <= $1) q
     WHERE w.active AND w.status <> 'disabled'`,
    [now],
  );
  const states = await database.query<{ status: string; active: boolean; count: string }>(
    'SELECT status, active, count(*) AS count FROM webhooks GROUP BY status, active',
  );
  return {
    dueDeliveries: Number(due?.due ?? 0),
    oldestDueAt: due?.oldest ?? undefined,
    webhooksByState: tallyWebhookStates(states),
  };
}
