// SQL for the alert outbox: queue alerts for webhook status changes, claim due ones under a lease, record outcomes.
import type pg from 'pg';
import type { AlertOutcome, ClaimedAlert, WebhookStatusChange } from '../../domain/alert.js';
import { toClaimedAlert, type AlertRow } from '../alert-rows.js';
import type { StoredAlertSecret } from '../alert-outbox.js';
import { toPage } from '../rows.js';
import type { Page, PageRequest } from '../store.js';
import type { PostgresDatabase } from './database.js';
import { stillPending } from './still-pending.js';

/**
 * An INSERT of the alerts of the status changes in relation `changes` (columns webhook_id, status, event_type,
 * last_error, at): one row per channel the webhook's workspace has set now, saying what the alert is about as it is
 * now. Meant to end a statement whose CTE makes `changes` from an UPDATE … RETURNING of webhooks: the UPDATE's row
 * lock and its re-check of the old status under READ COMMITTED let exactly one writer among processes sharing the
 * database make a given change, and so its alerts.
 */
export function insertAlertsFrom(changes: string): string {
  return `
  INSERT INTO alerts (id, workspace_id, webhook_id, type, channel, target, webhook_url, webhook_description,
    webhook_status, event_type, last_error, status, next_attempt_at, created_at, updated_at)
  SELECT 'alr_' || replace(gen_random_uuid()::text, '-', ''), w.workspace_id, w.id,
    CASE c.status WHEN 'healthy' THEN 'webhook.recovered' ELSE 'webhook.' || c.status END,
    ch.channel, ch.target, w.url, w.description, c.status, c.event_type, c.last_error, 'pending', c.at, c.at, c.at
  FROM ${changes} c JOIN webhooks w ON w.id = c.webhook_id JOIN workspaces s ON s.id = w.workspace_id
    CROSS JOIN LATERAL (VALUES ('email', s.alert_email), ('url', s.alert_url)) AS ch (channel, target)
  WHERE ch.target IS NOT NULL`;
}

/**
 * Queues the alerts of webhook status changes already written in the transaction of `tx`, so an alert exists exactly
 * when its change does: for a sweep that disables webhooks, say (recordAttempts has insertAlertsFrom in its own
 * statement). Answers how many rows were made.
 */
export async function insertStatusChangeAlerts(
  tx: pg.ClientBase,
  changes: WebhookStatusChange[],
  now: Date,
): Promise<number> {
  if (changes.length === 0) return 0;
  const result = await tx.query(
    `WITH changes AS (
       SELECT c.*, $5::timestamptz AS at FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
         AS c (webhook_id, status, event_type, last_error))
     ${insertAlertsFrom('changes')}`,
    [
      changes.map((change) => change.webhookId),
      changes.map((change) => change.status),
      changes.map((change) => change.eventType),
      changes.map((change) => change.lastError),
      now,
    ],
  );
  return result.rowCount ?? 0;
}

export async function claimDueAlerts(
  database: PostgresDatabase,
  claim: { now: Date; leaseMs: number; limit: number; leaseToken: string },
): Promise<ClaimedAlert[]> {
  const rows = await database.query<AlertRow>(
    `WITH due AS (
       SELECT seq FROM alerts WHERE status = 'pending' AND next_attempt_at <= $1
       ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
     UPDATE alerts a SET next_attempt_at = $2, lease_token = $4
     WHERE a.seq = ANY (ARRAY (SELECT seq FROM due)) AND ${stillPending('a')} AND a.next_attempt_at <= $1
     RETURNING a.*, (SELECT s.alert_secret FROM workspaces s WHERE s.id = a.workspace_id) AS alert_secret`,
    [claim.now, new Date(claim.now.getTime() + claim.leaseMs), claim.limit, claim.leaseToken],
  );
  return rows.sort((a, b) => a.seq - b.seq).map(toClaimedAlert);
}

export async function releaseAlertLeases(database: PostgresDatabase, now: Date): Promise<number> {
  return database.execute(
    `UPDATE alerts SET next_attempt_at = LEAST(next_attempt_at, $1), lease_token = NULL
     WHERE status = 'pending' AND lease_token IS NOT NULL`,
    [now],
  );
}

export async function recordAlertOutcomes(
  database: PostgresDatabase,
  outcomes: AlertOutcome[],
  now: Date,
): Promise<void> {
  if (outcomes.length === 0) return;
  await database.execute(
    `UPDATE alerts a SET status = o.status, attempts = a.attempts + 1, next_attempt_at = COALESCE(o.next_attempt_at, $6),
       lease_token = NULL, send_error = o.error, updated_at = $6
     FROM unnest($1::bigint[], $2::text[], $3::text[], $4::timestamptz[], $5::text[])
       AS o (seq, token, status, next_attempt_at, error)
     WHERE a.seq = o.seq AND a.lease_token = o.token`,
    [
      outcomes.map((outcome) => outcome.seq),
      outcomes.map((outcome) => outcome.leaseToken),
      outcomes.map((outcome) => outcome.status),
      outcomes.map((outcome) => outcome.nextAttemptAt),
      outcomes.map((outcome) => outcome.error),
      now,
    ],
  );
}

export async function setAlertSecret(
  database: PostgresDatabase,
  workspaceId: string,
  secret: string,
  options: { onlyIfUnset: boolean },
): Promise<boolean> {
  const written = await database.execute(
    'UPDATE workspaces SET alert_secret = $1 WHERE id = $2 AND (NOT $3 OR alert_secret IS NULL)',
    [secret, workspaceId, options.onlyIfUnset],
  );
  return written > 0;
}

export async function listStoredAlertSecrets(
  database: PostgresDatabase,
  page: PageRequest,
): Promise<Page<StoredAlertSecret>> {
  const rows = await database.query<{ id: string; alert_secret: string }>(
    `SELECT id, alert_secret FROM workspaces WHERE alert_secret IS NOT NULL AND ($1::text IS NULL OR id > $1)
     ORDER BY id LIMIT $2`,
    [page.cursor ?? null, page.limit + 1],
  );
  return toPage(
    rows,
    page.limit,
    (row) => ({ workspaceId: row.id, alertSecret: row.alert_secret }),
    (row) => row.id,
  );
}

export async function replaceStoredAlertSecrets(
  database: PostgresDatabase,
  replacements: { expected: StoredAlertSecret; replacement: StoredAlertSecret }[],
): Promise<number> {
  if (replacements.length === 0) return 0;
  return database.execute(
    `UPDATE workspaces w SET alert_secret = r.replacement
     FROM unnest($1::text[], $2::text[], $3::text[]) AS r (id, expected, replacement)
     WHERE w.id = r.id AND w.alert_secret = r.expected`,
    [
      replacements.map(({ expected }) => expected.workspaceId),
      replacements.map(({ expected }) => expected.alertSecret),
      replacements.map(({ replacement }) => replacement.alertSecret),
    ],
  );
}
