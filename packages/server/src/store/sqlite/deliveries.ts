// SQL for the delivery queue and log: claim due deliveries under a lease, record attempts, restart, read the log.
import { attemptSucceeded, hourStartOf } from '../../domain/webhook-stats.js';
import type { Attempt, AttemptRecord, ClaimedDelivery, Delivery } from '../../domain/delivery.js';
import type { Page, PageRequest } from '../store.js';
import {
  DELIVERY_COLUMNS,
  toAttempt,
  toDelivery,
  toPage,
  type AttemptRow,
  type DeliveryRow,
  type EventRow,
} from '../rows.js';
import { CLAIMED_COLUMNS, toClaims, type ClaimedRow } from '../claim-rows.js';
import type { WebhookRow } from '../webhook-rows.js';
import { queueStatusChangeAlerts } from './alerts.js';
import { limitTo, toDate, toMs, type SqliteDatabase } from './database.js';
import { webhookHealthWriter } from './webhook-health.js';

/**
 * The next deliveries of every webhook a worker may send to: active and not held back (`@excluded`). A plain webhook
 * offers its earliest pending deliveries, as many as its room in this worker (`@room`, a JSON object of webhook id to
 * count; `@per_webhook` for the others); a FIFO webhook only its oldest pending event delivery, so the next waits
 * until that has succeeded or failed for good, plus any "Send test" delivery, which stands outside the line.
 * Driven from the webhooks, each through its own index range, so the cost follows the number of webhooks, never the
 * length of the queue.
 */
const NEXT_PER_WEBHOOK = `
  SELECT seq, next_attempt_at FROM (
    SELECT q.seq, q.next_attempt_at, w.id AS webhook_id,
      ROW_NUMBER() OVER (PARTITION BY w.id ORDER BY q.next_attempt_at) AS place
    FROM webhooks w JOIN deliveries q ON q.seq IN (
      SELECT p.seq FROM deliveries p WHERE p.webhook_id = w.id AND p.status = 'pending' ORDER BY p.next_attempt_at ${limitTo('per_webhook')})
    WHERE w.ordering = 'none' AND w.active = 1 AND w.status != 'disabled' AND w.id NOT IN (SELECT value FROM json_each(@excluded)))
  WHERE place <= COALESCE((SELECT value FROM json_each(@room) WHERE key = webhook_id), @per_webhook)
  UNION ALL
  SELECT q.seq, q.next_attempt_at FROM webhooks w JOIN deliveries q ON q.seq = (
    SELECT MIN(p.seq) FROM deliveries p WHERE p.webhook_id = w.id AND p.status = 'pending' AND p.kind = 'event')
  WHERE w.ordering = 'fifo' AND w.active = 1 AND w.status != 'disabled' AND w.id NOT IN (SELECT value FROM json_each(@excluded))
  UNION ALL
  SELECT q.seq, q.next_attempt_at FROM webhooks w JOIN deliveries q ON q.webhook_id = w.id AND q.status = 'pending' AND q.kind = 'test'
  WHERE w.ordering = 'fifo' AND w.active = 1 AND w.status != 'disabled'`;

/**
 * One UPDATE … RETURNING takes the earliest due deliveries (no more of each webhook than its room) and pushes
 * their next_attempt_at to the end of the lease; then one query each loads their events and webhooks. The caller
 * runs it in a transaction of its own, committed without waiting for the fsync and outside the group commit (see
 * sqlite-store.ts), so the update and the loads are one claim.
 */
export function claimDueDeliveries(
  database: SqliteDatabase,
  claim: {
    now: Date;
    leaseMs: number;
    limit: number;
    perWebhookLimit: number;
    roomByWebhook: Record<string, number>;
    leaseToken: string;
    excludeWebhookIds: string[];
  },
): ClaimedDelivery[] {
  const now = toMs(claim.now);
  const rows = database
    .prepared(
      `UPDATE deliveries SET next_attempt_at = @lease_end, lease_token = @token
       WHERE seq IN (SELECT seq FROM (${NEXT_PER_WEBHOOK}) WHERE next_attempt_at <= @now ORDER BY next_attempt_at ${limitTo('limit')})
       RETURNING ${CLAIMED_COLUMNS}`,
    )
    .all({
      lease_end: now + claim.leaseMs,
      token: claim.leaseToken,
      now,
      excluded: JSON.stringify(claim.excludeWebhookIds),
      room: JSON.stringify(claim.roomByWebhook),
      per_webhook: claim.perWebhookLimit,
      limit: claim.limit,
    }) as ClaimedRow[];
  return loadClaims(database, rows, claim.leaseToken);
}

function loadClaims(database: SqliteDatabase, rows: ClaimedRow[], leaseToken: string): ClaimedDelivery[] {
  if (rows.length === 0) return [];
  const idsOf = (values: (string | number)[]) => JSON.stringify([...new Set(values)]);
  const eventRows = database
    .prepared('SELECT * FROM events WHERE seq IN (SELECT value FROM json_each(?))')
    .all(idsOf(rows.map((r) => r.event_seq))) as EventRow[];
  const webhookRows = database
    .prepared('SELECT * FROM webhooks WHERE id IN (SELECT value FROM json_each(?))')
    .all(idsOf(rows.map((r) => r.webhook_id))) as WebhookRow[];
  return toClaims(rows, eventRows, webhookRows, leaseToken);
}

/** Runs inside the group commit's transaction, like every write on the delivery path. */
export function recordAttempts(database: SqliteDatabase, records: AttemptRecord[], now: Date): void {
  const updateDelivery = database.prepared(
    `UPDATE deliveries SET status = @status, attempts = attempts + 1, round_failures = @round_failures,
       next_attempt_at = @next_attempt_at, lease_token = NULL, last_response_status = @response_status,
       last_response_ms = @duration_ms, last_error = @error, updated_at = @now
     WHERE seq = @seq AND lease_token = @token`,
  );
  const insertAttempt = database.prepared(
    `INSERT INTO attempts (delivery_seq, attempted_at, duration_ms, request_headers, response_status, response_headers, response_body, error)
     VALUES (@seq, @attempted_at, @duration_ms, @request_headers, @response_status, @response_headers, @response_body, @error)`,
  );
  const writeWebhookHealth = webhookHealthWriter(database);
  // The stats the dashboard draws, kept here so that reading them never scans the log.
  const countAttempt = database.prepared(
    `INSERT INTO webhook_hourly_stats (webhook_id, hour_start, succeeded, failed) VALUES (@id, @hour, @succeeded, @failed)
     ON CONFLICT (webhook_id, hour_start) DO UPDATE SET succeeded = succeeded + excluded.succeeded, failed = failed + excluded.failed`,
  );
  const nowMs = toMs(now);
  const changedStatus: AttemptRecord[] = [];
  for (const record of records) {
    const { attempt } = record;
    const changed = updateDelivery.run({
      status: record.status,
      round_failures: record.roundFailures,
      next_attempt_at: record.nextAttemptAt && toMs(record.nextAttemptAt),
      response_status: attempt.responseStatus,
      duration_ms: attempt.durationMs,
      error: attempt.error,
      now: nowMs,
      seq: record.claim.seq,
      token: record.claim.leaseToken,
    }).changes;
    if (changed === 0) continue; // the lease ran out and someone else owns it now
    insertAttempt.run({
      seq: record.claim.seq,
      attempted_at: toMs(attempt.attemptedAt),
      duration_ms: attempt.durationMs,
      request_headers: JSON.stringify(attempt.requestHeaders),
      response_status: attempt.responseStatus,
      response_headers: attempt.responseHeaders && JSON.stringify(attempt.responseHeaders),
      response_body: attempt.responseBody,
      error: attempt.error,
    });
    const succeeded = attemptSucceeded(attempt);
    countAttempt.run({
      id: record.claim.webhook.id,
      hour: toMs(hourStartOf(attempt.attemptedAt)),
      succeeded: succeeded ? 1 : 0,
      failed: succeeded ? 0 : 1,
    });
    if (writeWebhookHealth(record, nowMs)) changedStatus.push(record);
  }
  queueStatusChangeAlerts(database, changedStatus, now);
}

export function releaseDeliveries(
  database: SqliteDatabase,
  claims: { seq: number; leaseToken: string }[],
  now: Date,
): void {
  const release = database.prepared(
    "UPDATE deliveries SET next_attempt_at = ?, lease_token = NULL WHERE seq = ? AND lease_token = ? AND status = 'pending'",
  );
  for (const claim of claims) release.run(toMs(now), claim.seq, claim.leaseToken);
}

export function releaseAllLeases(database: SqliteDatabase, now: Date): number {
  return database
    .prepared(
      "UPDATE deliveries SET next_attempt_at = MIN(next_attempt_at, ?), lease_token = NULL WHERE status = 'pending' AND lease_token IS NOT NULL",
    )
    .run(toMs(now)).changes;
}

export function nextDueAt(database: SqliteDatabase, excludeWebhookIds: string[]): Date | undefined {
  const row = database
    .prepared(`SELECT MIN(next_attempt_at) AS due FROM (${NEXT_PER_WEBHOOK})`)
    .get({ excluded: JSON.stringify(excludeWebhookIds), room: '{}', per_webhook: 1 }) as { due: number | null };
  return row.due === null ? undefined : toDate(row.due);
}

export function getDelivery(database: SqliteDatabase, workspaceId: string, id: string): Delivery | undefined {
  const row = database
    .prepared(
      `SELECT ${DELIVERY_COLUMNS} FROM deliveries d JOIN events e ON e.seq = d.event_seq WHERE d.workspace_id = ? AND d.id = ?`,
    )
    .get(workspaceId, id) as DeliveryRow | undefined;
  return row && toDelivery(row);
}

export function listAttempts(
  database: SqliteDatabase,
  workspaceId: string,
  deliveryId: string,
  page: PageRequest,
): Page<Attempt> {
  const rows = database
    .prepared(
      `SELECT a.*, d.id AS delivery_id FROM attempts a JOIN deliveries d ON d.seq = a.delivery_seq
       WHERE d.workspace_id = @workspace_id AND d.id = @delivery_id AND (@cursor IS NULL OR a.seq > @cursor)
       ORDER BY a.seq ${limitTo('limit')}`,
    )
    .all({
      workspace_id: workspaceId,
      delivery_id: deliveryId,
      cursor: page.cursor === undefined ? null : Number(page.cursor),
      limit: page.limit + 1,
    }) as AttemptRow[];
  return toPage(rows, page.limit, toAttempt, (row) => row.seq);
}

export function restartDeliveries(
  database: SqliteDatabase,
  workspaceId: string,
  which: { deliveryId: string } | { webhookId: string; failedSince: Date | undefined },
  now: Date,
): number {
  const set = "status = 'pending', round_failures = 0, next_attempt_at = @now, lease_token = NULL, updated_at = @now";
  if ('deliveryId' in which) {
    // Not while an attempt holds a live lease: that would send it twice at once and drop the first result.
    return database
      .prepared(
        `UPDATE deliveries SET ${set} WHERE workspace_id = @workspace_id AND id = @id AND (lease_token IS NULL OR next_attempt_at <= @now)`,
      )
      .run({ now: toMs(now), workspace_id: workspaceId, id: which.deliveryId }).changes;
  }
  return database
    .prepared(
      `UPDATE deliveries SET ${set} WHERE workspace_id = @workspace_id AND webhook_id = @webhook_id AND status = 'failed' AND (@since IS NULL OR created_at >= @since)`,
    )
    .run({
      now: toMs(now),
      workspace_id: workspaceId,
      webhook_id: which.webhookId,
      since: which.failedSince ? toMs(which.failedSince) : null,
    }).changes;
}
