// SQL for the delivery queue and log besides the claim: record attempts, hand back, restart, read the log.
import { attemptSucceeded, hourStartOf } from '../../domain/webhook-stats.js';
import type { Attempt, AttemptRecord, Delivery } from '../../domain/delivery.js';
import { DELIVERY_COLUMNS, toAttempt, toDelivery, toPage, type AttemptRow, type DeliveryRow } from '../rows.js';
import type { Page, PageRequest } from '../store.js';
import { insertAlertsFrom } from './alerts.js';
import { fifoHeads } from './claims.js';
import type { PostgresDatabase } from './database.js';
import { DUE_CHANNEL } from './events.js';
import { stillPending } from './still-pending.js';

/** A webhook's status after a batch: its last change in the batch, unless it is disabled. */
const NEW_STATUS = "(CASE WHEN w.status <> 'disabled' AND h.status IS NOT NULL THEN h.status ELSE w.status END)";
/** Its failing clock: stopped by a success (unless disabled), else started by a failure if it is not running. */
const NEW_FAILING_SINCE = `(CASE WHEN h.last_success IS NOT NULL AND w.status <> 'disabled' THEN h.first_failure
  ELSE COALESCE(w.failing_since, h.first_failure) END)`;

/**
 * Every record of a batch in one statement: the deliveries still leased under the record's token take their new
 * state, their attempts are inserted, and their webhooks' status and failing clock change (a real change only; a
 * disabled webhook keeps its status until an operator turns it back on), each status change with its alerts (see
 * insertAlertsFrom). A record whose lease was lost matches no delivery and is dropped, even beside the record of the
 * lease that replaced it in the same batch (hence the joins on the token, not the seq alone).
 *
 * The failing clock costs a look at each batch's webhooks' rows, not a write: on 20,000 records in batches of 100 to
 * 10 webhooks (2 shared cores), the backends' CPU per record went from 93 to 92 µs for successes and from 95 to 103 µs
 * for failures (medians of 3). Starting it only when a webhook turns failing would cost nothing, but would start it
 * once a delivery had exhausted its retries: up to a day late with the default schedule.
 */
const RECORD_ATTEMPTS = `
  WITH input AS (
    SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[], $5::timestamptz[], $6::int[], $7::int[], $8::text[],
      $9::timestamptz[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::timestamptz[],
      $16::timestamptz[], $17::boolean[], $18::boolean[])
      AS i (seq, token, status, round_failures, next_attempt_at, response_status, duration_ms, error,
        attempted_at, request_headers, response_headers, response_body, webhook_id, webhook_status, now,
        hour_start, succeeded, webhook_failed)
  ), updated AS (
    UPDATE deliveries d SET status = i.status, attempts = d.attempts + 1, round_failures = i.round_failures,
      next_attempt_at = i.next_attempt_at, lease_token = NULL, last_response_status = i.response_status,
      last_response_ms = i.duration_ms, last_error = i.error, updated_at = i.now
    FROM input i WHERE d.seq = i.seq AND d.lease_token = i.token
    RETURNING d.seq, d.event_seq, i.token
  ), recorded AS (
    INSERT INTO attempts (delivery_seq, attempted_at, duration_ms, request_headers, response_status, response_headers, response_body, error)
    SELECT i.seq, i.attempted_at, i.duration_ms, i.request_headers, i.response_status, i.response_headers, i.response_body, i.error
    FROM input i JOIN updated u ON u.seq = i.seq AND u.token = i.token
    ORDER BY i.seq
  ), counted AS (
    -- The stats the dashboard draws, kept here so that reading them never scans the log. One row per webhook and
    -- hour (an upsert may touch a row once per statement), in key order so concurrent batches lock alike.
    INSERT INTO webhook_hourly_stats AS s (webhook_id, hour_start, succeeded, failed)
    SELECT i.webhook_id, i.hour_start, count(*) FILTER (WHERE i.succeeded), count(*) FILTER (WHERE NOT i.succeeded)
    FROM input i JOIN updated u ON u.seq = i.seq AND u.token = i.token
    GROUP BY i.webhook_id, i.hour_start
    ORDER BY i.webhook_id, i.hour_start
    ON CONFLICT (webhook_id, hour_start)
      DO UPDATE SET succeeded = s.succeeded + excluded.succeeded, failed = s.failed + excluded.failed
  ), recorded_outcomes AS (
    SELECT i.webhook_id, i.attempted_at, i.webhook_status, i.webhook_failed, i.now, i.error, u.event_seq,
      max(i.attempted_at) FILTER (WHERE i.webhook_status = 'healthy') OVER (PARTITION BY i.webhook_id) AS last_success
    FROM input i JOIN updated u ON u.seq = i.seq AND u.token = i.token
  ), health AS (
    -- One row per webhook (an UPDATE takes one joined row per target): its last status change in the batch (with the
    -- event and error of the attempt that made it, for the alert), and when its failing clock starts: the first
    -- failure after the batch's last success, or after the stored start if none.
    SELECT webhook_id, max(now) AS now, last_success,
      (array_agg(webhook_status ORDER BY attempted_at DESC) FILTER (WHERE webhook_status IS NOT NULL))[1] AS status,
      (array_agg(event_seq ORDER BY attempted_at DESC) FILTER (WHERE webhook_status IS NOT NULL))[1] AS event_seq,
      (array_agg(error ORDER BY attempted_at DESC) FILTER (WHERE webhook_status IS NOT NULL))[1] AS last_error,
      min(attempted_at) FILTER (WHERE webhook_failed AND (last_success IS NULL OR attempted_at > last_success))
        AS first_failure
    FROM recorded_outcomes GROUP BY webhook_id, last_success
  ), locked AS (
    -- The status each webhook to change has as this statement changes it: locked first (in id order, so concurrent
    -- batches lock alike), so the row read here is the one the UPDATE below changes (a webhook with nothing to change
    -- is neither locked nor written), and a change, with its alerts, is made by one of the processes sharing the
    -- database only.
    SELECT w.id, w.status AS old_status FROM webhooks w JOIN health h ON h.webhook_id = w.id
    WHERE w.status <> ${NEW_STATUS} OR w.failing_since IS DISTINCT FROM ${NEW_FAILING_SINCE}
    ORDER BY w.id FOR UPDATE OF w
  ), changed AS (
    -- Only a real change is written, so a healthy webhook's row is not written per delivery. Decided on the row as
    -- the UPDATE finds it (not a snapshot read earlier), so a webhook disabled meanwhile stays disabled.
    UPDATE webhooks w SET status = ${NEW_STATUS}, failing_since = ${NEW_FAILING_SINCE},
      updated_at = CASE WHEN w.status <> ${NEW_STATUS} THEN h.now ELSE w.updated_at END
    FROM health h JOIN locked l ON l.id = h.webhook_id
    WHERE w.id = h.webhook_id AND (w.status <> ${NEW_STATUS} OR w.failing_since IS DISTINCT FROM ${NEW_FAILING_SINCE})
    RETURNING w.id AS webhook_id, w.status, l.old_status, h.event_seq, h.last_error, h.now AS at
  ), changes AS (
    SELECT c.webhook_id, c.status, e.type AS event_type, c.last_error, c.at
    FROM changed c LEFT JOIN events e ON e.seq = c.event_seq
    WHERE c.status <> c.old_status
  )
  ${insertAlertsFrom('changes')}`;

export async function recordAttempts(
  database: PostgresDatabase,
  batch: { record: AttemptRecord; now: Date }[],
): Promise<void> {
  if (batch.length === 0) return;
  const column = <T>(pick: (entry: { record: AttemptRecord; now: Date }) => T): T[] => batch.map(pick);
  await database.execute(RECORD_ATTEMPTS, [
    column(({ record }) => record.claim.seq),
    column(({ record }) => record.claim.leaseToken),
    column(({ record }) => record.status),
    column(({ record }) => record.roundFailures),
    column(({ record }) => record.nextAttemptAt),
    column(({ record }) => record.attempt.responseStatus),
    column(({ record }) => record.attempt.durationMs),
    column(({ record }) => record.attempt.error),
    column(({ record }) => record.attempt.attemptedAt),
    column(({ record }) => JSON.stringify(record.attempt.requestHeaders)),
    column(({ record }) =>
      record.attempt.responseHeaders === null ? null : JSON.stringify(record.attempt.responseHeaders),
    ),
    column(({ record }) => record.attempt.responseBody),
    column(({ record }) => record.claim.webhook.id),
    column(({ record }) => record.webhookStatus ?? null),
    column(({ now }) => now),
    column(({ record }) => hourStartOf(record.attempt.attemptedAt)),
    column(({ record }) => attemptSucceeded(record.attempt)),
    column(({ record }) => record.webhookFailed === true),
  ]);
}

export async function releaseDeliveries(
  database: PostgresDatabase,
  claims: { seq: number; leaseToken: string }[],
  now: Date,
): Promise<void> {
  if (claims.length === 0) return;
  await database.execute(
    `WITH released AS (
       UPDATE deliveries d SET next_attempt_at = $3, lease_token = NULL
       FROM unnest($1::bigint[], $2::text[]) AS r (seq, token)
       WHERE d.seq = r.seq AND d.lease_token = r.token AND ${stillPending('d')}
       RETURNING 1)
     SELECT CASE WHEN EXISTS (SELECT 1 FROM released) THEN pg_notify('${DUE_CHANNEL}', '') END`,
    [claims.map((claim) => claim.seq), claims.map((claim) => claim.leaseToken), now],
  );
}

export async function releaseAllLeases(database: PostgresDatabase, now: Date): Promise<number> {
  return database.execute(
    "UPDATE deliveries SET next_attempt_at = LEAST(next_attempt_at, $1), lease_token = NULL WHERE status = 'pending' AND lease_token IS NOT NULL",
    [now],
  );
}

/** The earliest due time among what a claim could take (see claims.ts), leases held elsewhere included. */
export async function nextDueAt(database: PostgresDatabase, excludeWebhookIds: string[]): Promise<Date | undefined> {
  const [row] = await database.query<{ due: Date | null }>(
    `SELECT min(due) AS due FROM (
       SELECT (SELECT min(p.next_attempt_at) FROM deliveries p WHERE p.webhook_id = w.id AND p.status = 'pending') AS due
       FROM webhooks w WHERE w.ordering = 'none' AND w.active AND w.status <> 'disabled' AND w.id <> ALL ($1::text[])
       UNION ALL
       SELECT heads.next_attempt_at FROM (${fifoHeads('$1')}) heads
     ) due_times`,
    [excludeWebhookIds],
  );
  return row?.due ?? undefined;
}

export async function getDelivery(
  database: PostgresDatabase,
  workspaceId: string,
  id: string,
): Promise<Delivery | undefined> {
  const [row] = await database.query<DeliveryRow>(
    `SELECT ${DELIVERY_COLUMNS} FROM deliveries d JOIN events e ON e.seq = d.event_seq WHERE d.workspace_id = $1 AND d.id = $2`,
    [workspaceId, id],
  );
  return row && toDelivery(row);
}

export async function listAttempts(
  database: PostgresDatabase,
  workspaceId: string,
  deliveryId: string,
  page: PageRequest,
): Promise<Page<Attempt>> {
  const rows = await database.query<AttemptRow>(
    `SELECT a.*, d.id AS delivery_id FROM attempts a JOIN deliveries d ON d.seq = a.delivery_seq
     WHERE d.workspace_id = $1 AND d.id = $2 AND ($3::bigint IS NULL OR a.seq > $3)
     ORDER BY a.seq LIMIT $4`,
    [workspaceId, deliveryId, page.cursor === undefined ? null : Number(page.cursor), page.limit + 1],
  );
  return toPage(rows, page.limit, toAttempt, (row) => row.seq);
}

/** Restarted deliveries are due at once: NOTIFY wakes the workers, which may run in other processes. */
export async function restartDeliveries(
  database: PostgresDatabase,
  workspaceId: string,
  which: { deliveryId: string } | { webhookId: string; failedSince: Date | undefined },
  now: Date,
): Promise<number> {
  const set = "status = 'pending', round_failures = 0, next_attempt_at = $1, lease_token = NULL, updated_at = $1";
  // Not while an attempt holds a live lease: that would send it twice at once and drop the first result.
  const [sql, params] =
    'deliveryId' in which
      ? [
          `UPDATE deliveries SET ${set} WHERE workspace_id = $2 AND id = $3 AND (lease_token IS NULL OR next_attempt_at <= $1)`,
          [now, workspaceId, which.deliveryId],
        ]
      : [
          `UPDATE deliveries SET ${set} WHERE workspace_id = $2 AND webhook_id = $3 AND status = 'failed' AND ($4::timestamptz IS NULL OR created_at >= $4)`,
          [now, workspaceId, which.webhookId, which.failedSince ?? null],
        ];
  const [row] = await database.query<{ restarted: number }>(
    `WITH restarted AS (${sql} RETURNING 1)
     SELECT count(*) AS restarted, CASE WHEN EXISTS (SELECT 1 FROM restarted) THEN pg_notify('${DUE_CHANNEL}', '') END AS notified FROM restarted`,
    params,
  );
  return row!.restarted;
}
