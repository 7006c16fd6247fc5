// The claim: due deliveries taken under a lease with FOR UPDATE SKIP LOCKED, so workers in many processes claim at
// once without waiting on each other and without ever taking the same delivery.
import type { ClaimedDelivery } from '../../domain/delivery.js';
import { toClaims, type ClaimedRow } from '../claim-rows.js';
import type { EventRow } from '../rows.js';
import type { WebhookRow } from '../webhook-rows.js';
import type { Store } from '../store.js';
import type { PostgresDatabase } from './database.js';
import { stillPending } from './still-pending.js';

type ClaimRequest = Parameters<Store['claimDueDeliveries']>[0];

/**
 * What each active FIFO webhook (not one of the ids in array parameter `excluded`) may send next: its oldest pending
 * event delivery, due or not, and any pending "Send test" delivery, which stands outside the line.
 */
export function fifoHeads(excluded: string): string {
  return `
    SELECT q.seq, q.next_attempt_at FROM webhooks w JOIN deliveries q ON q.seq = (
      SELECT min(p.seq) FROM deliveries p WHERE p.webhook_id = w.id AND p.status = 'pending' AND p.kind = 'event')
    WHERE w.ordering = 'fifo' AND w.active AND w.status <> 'disabled' AND w.id <> ALL (${excluded}::text[])
    UNION ALL
    SELECT q.seq, q.next_attempt_at FROM webhooks w JOIN deliveries q ON q.webhook_id = w.id AND q.status = 'pending' AND q.kind = 'test'
    WHERE w.ordering = 'fifo' AND w.active AND w.status <> 'disabled'`;
}

/**
 * The same choice as SQLite's (see sqlite/deliveries.ts), per webhook through its own index range:
 * - a plain webhook offers its earliest due deliveries, as many as its room ($4, JSON webhook id → count, else $3),
 *   skipping rows another claim has locked right now, so that claim and this one take different deliveries;
 * - a FIFO webhook offers only its oldest pending event delivery, when due, plus any due "Send test" delivery. Its
 *   oldest is found without locking, then locked with SKIP LOCKED: a lock held elsewhere must mean "nothing of this
 *   webhook now", never "the one behind it", which would break the order.
 * The UPDATE re-checks each row is still pending and due: under READ COMMITTED it sees the newest version of a row
 * another claim changed after this statement began, so a delivery claimed elsewhere meanwhile is not taken again.
 * Rows are picked by `seq = ANY (ARRAY (…))` and re-checked by stillPending, a primary-key lookup whatever the
 * statistics say: with a join instead, a young table's estimates gave a nested loop over every due row, 30 ms for a
 * claim of 64; with a plain status clause, a partial index walked whole (see still-pending.ts).
 */
const CLAIM = `
  WITH plain AS (
    SELECT q.seq, q.next_attempt_at FROM webhooks w CROSS JOIN LATERAL (
      SELECT p.seq, p.next_attempt_at FROM deliveries p
      WHERE p.webhook_id = w.id AND p.status = 'pending' AND p.next_attempt_at <= $1
      ORDER BY p.next_attempt_at
      LIMIT COALESCE(($4::jsonb ->> w.id)::int, $3)
      FOR UPDATE SKIP LOCKED
    ) q
    WHERE w.ordering = 'none' AND w.active AND w.status <> 'disabled' AND w.id <> ALL ($5::text[])
  ), fifo_next AS (${fifoHeads('$5')}
  ), fifo AS (
    SELECT d.seq, d.next_attempt_at FROM deliveries d
    WHERE d.seq = ANY (ARRAY (SELECT seq FROM fifo_next)) AND ${stillPending('d')} AND d.next_attempt_at <= $1
    FOR UPDATE SKIP LOCKED
  ), picked AS (
    SELECT seq FROM (SELECT * FROM plain UNION ALL SELECT * FROM fifo) c ORDER BY next_attempt_at LIMIT $2
  )
  UPDATE deliveries d SET next_attempt_at = $6, lease_token = $7
  WHERE d.seq = ANY (ARRAY (SELECT seq FROM picked)) AND ${stillPending('d')} AND d.next_attempt_at <= $1
  RETURNING d.seq, d.id, d.webhook_id, d.event_seq, d.kind, d.round_failures, d.attempts`;

/** The claim's statement with its parameters (the PostgreSQL store's test also EXPLAINs it, to count its pages). */
export function claimStatement(claim: ClaimRequest): { text: string; values: unknown[] } {
  return {
    text: CLAIM,
    values: [
      claim.now,
      claim.limit,
      claim.perWebhookLimit,
      JSON.stringify(claim.roomByWebhook),
      claim.excludeWebhookIds,
      new Date(claim.now.getTime() + claim.leaseMs),
      claim.leaseToken,
    ],
  };
}

export async function claimDueDeliveries(database: PostgresDatabase, claim: ClaimRequest): Promise<ClaimedDelivery[]> {
  const { text, values } = claimStatement(claim);
  const rows = await database.query<ClaimedRow>(text, values);
  return loadClaims(database, rows, claim.leaseToken);
}

/** The claimed deliveries' events and webhooks, both read at once. */
async function loadClaims(
  database: PostgresDatabase,
  rows: ClaimedRow[],
  leaseToken: string,
): Promise<ClaimedDelivery[]> {
  if (rows.length === 0) return [];
  const [eventRows, webhookRows] = await Promise.all([
    database.query<EventRow>('SELECT * FROM events WHERE seq = ANY ($1::bigint[])', [
      [...new Set(rows.map((row) => row.event_seq))],
    ]),
    database.query<WebhookRow>('SELECT * FROM webhooks WHERE id = ANY ($1::text[])', [
      [...new Set(rows.map((row) => row.webhook_id))],
    ]),
  ]);
  return toClaims(rows, eventRows, webhookRows, leaseToken);
}
