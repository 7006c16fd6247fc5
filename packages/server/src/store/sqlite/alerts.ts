// SQL for the alert outbox: queue alerts for webhook status changes, claim due ones under a lease, record outcomes.
import { alertTypeOf, type AlertOutcome, type ClaimedAlert, type WebhookStatusChange } from '../../domain/alert.js';
import type { AttemptRecord } from '../../domain/delivery.js';
import { toClaimedAlert, type AlertRow } from '../alert-rows.js';
import type { StoredAlertSecret } from '../alert-outbox.js';
import { toPage } from '../rows.js';
import type { Page, PageRequest } from '../store.js';
import { limitTo, toMs, type SqliteDatabase } from './database.js';

/**
 * One row per channel the webhook's workspace has set now (its alertEmail, its alertUrl), saying what the alert is
 * about as it is now, so the alert still says it after the webhook changed or went. Ids are random, made here.
 */
const INSERT_ALERTS = `
  WITH hook AS (
    SELECT w.id, w.workspace_id, w.url, w.description, s.alert_email, s.alert_url
    FROM webhooks w JOIN workspaces s ON s.id = w.workspace_id WHERE w.id = @webhook_id
  ), channels AS (
    SELECT 'email' AS channel, alert_email AS target, * FROM hook WHERE alert_email IS NOT NULL
    UNION ALL
    SELECT 'url' AS channel, alert_url AS target, * FROM hook WHERE alert_url IS NOT NULL
  )
  INSERT INTO alerts (id, workspace_id, webhook_id, type, channel, target, webhook_url, webhook_description,
    webhook_status, event_type, last_error, status, next_attempt_at, created_at, updated_at)
  SELECT 'alr_' || lower(hex(randomblob(16))), workspace_id, id, @type, channel, target, url, description,
    @status, @event_type, @last_error, 'pending', @now, @now, @now
  FROM channels`;

/**
 * Queues the alerts of webhook status changes, inside the caller's transaction: the one that wrote the changes, so
 * an alert exists exactly when its change does. recordAttempts calls it; so may anything else that changes a
 * webhook's status by itself (a sweep that disables webhooks). Answers how many rows were made.
 */
export function insertStatusChangeAlerts(database: SqliteDatabase, changes: WebhookStatusChange[], now: Date): number {
  const insert = database.prepared(INSERT_ALERTS);
  let made = 0;
  for (const change of changes) {
    made += insert.run({
      webhook_id: change.webhookId,
      type: alertTypeOf(change.status),
      status: change.status,
      event_type: change.eventType,
      last_error: change.lastError,
      now: toMs(now),
    }).changes;
  }
  return made;
}

/**
 * Queues the alerts of records that changed their webhook's status (webhook-health.ts wrote the change and said so,
 * in this same transaction): of a thousand failures of one webhook only the first changes its status, and alerts.
 */
export function queueStatusChangeAlerts(database: SqliteDatabase, records: AttemptRecord[], now: Date): void {
  if (records.length === 0) return;
  const eventType = database.prepared(
    'SELECT e.type FROM deliveries d JOIN events e ON e.seq = d.event_seq WHERE d.seq = ?',
  );
  const changes = records.map((record): WebhookStatusChange => {
    const row = eventType.get(record.claim.seq) as { type: string } | undefined;
    return {
      webhookId: record.claim.webhook.id,
      status: record.webhookStatus!,
      eventType: row?.type ?? null,
      lastError: record.attempt.error,
    };
  });
  insertStatusChangeAlerts(database, changes, now);
}

/** Whether any alert is due at `now`: one read of the partial index alerts_due, which takes no write lock. */
export function anyAlertDue(database: SqliteDatabase, now: Date): boolean {
  const due = database.prepared("SELECT 1 FROM alerts WHERE status = 'pending' AND next_attempt_at <= ? LIMIT 1");
  return due.get(toMs(now)) !== undefined;
}

/** One UPDATE … RETURNING takes the earliest due; then one query reads their workspaces' secrets. */
export function claimDueAlerts(
  database: SqliteDatabase,
  claim: { now: Date; leaseMs: number; limit: number; leaseToken: string },
): ClaimedAlert[] {
  const now = toMs(claim.now);
  const rows = database
    .prepared(
      `UPDATE alerts SET next_attempt_at = @lease_end, lease_token = @token
       WHERE seq IN (SELECT seq FROM alerts WHERE status = 'pending' AND next_attempt_at <= @now
                     ORDER BY next_attempt_at ${limitTo('limit')})
       RETURNING *`,
    )
    .all({ lease_end: now + claim.leaseMs, token: claim.leaseToken, now, limit: claim.limit }) as AlertRow[];
  if (rows.length === 0) return [];
  const secrets = database
    .prepared('SELECT id, alert_secret FROM workspaces WHERE id IN (SELECT value FROM json_each(?))')
    .all(JSON.stringify([...new Set(rows.map((row) => row.workspace_id))])) as { id: string; alert_secret: string }[];
  const secretOf = new Map(secrets.map((row) => [row.id, row.alert_secret]));
  return rows
    .sort((a, b) => a.seq - b.seq)
    .map((row) => toClaimedAlert({ ...row, alert_secret: secretOf.get(row.workspace_id) ?? null }));
}

export function releaseAlertLeases(database: SqliteDatabase, now: Date): number {
  return database
    .prepared(
      `UPDATE alerts SET next_attempt_at = MIN(next_attempt_at, ?), lease_token = NULL
       WHERE status = 'pending' AND lease_token IS NOT NULL`,
    )
    .run(toMs(now)).changes;
}

export function recordAlertOutcomes(database: SqliteDatabase, outcomes: AlertOutcome[], now: Date): void {
  const update = database.prepared(
    `UPDATE alerts SET status = @status, attempts = attempts + 1, next_attempt_at = @next_attempt_at,
       lease_token = NULL, send_error = @error, updated_at = @now
     WHERE seq = @seq AND lease_token = @token`,
  );
  for (const outcome of outcomes) {
    update.run({
      status: outcome.status,
      next_attempt_at: toMs(outcome.nextAttemptAt ?? now),
      error: outcome.error,
      now: toMs(now),
      seq: outcome.seq,
      token: outcome.leaseToken,
    });
  }
}

export function setAlertSecret(
  database: SqliteDatabase,
  workspaceId: string,
  secret: string,
  options: { onlyIfUnset: boolean },
): boolean {
  return (
    database
      .prepared(
        'UPDATE workspaces SET alert_secret = @secret WHERE id = @id AND (@only_if_unset = 0 OR alert_secret IS NULL)',
      )
      .run({ secret, id: workspaceId, only_if_unset: options.onlyIfUnset ? 1 : 0 }).changes > 0
  );
}

export function listStoredAlertSecrets(database: SqliteDatabase, page: PageRequest): Page<StoredAlertSecret> {
  const rows = database
    .prepared(
      `SELECT id, alert_secret FROM workspaces WHERE alert_secret IS NOT NULL AND (@cursor IS NULL OR id > @cursor)
       ORDER BY id ${limitTo('limit')}`,
    )
    .all({ cursor: page.cursor ?? null, limit: page.limit + 1 }) as { id: string; alert_secret: string }[];
  return toPage(
    rows,
    page.limit,
    (row) => ({ workspaceId: row.id, alertSecret: row.alert_secret }),
    (row) => row.id,
  );
}

export function replaceStoredAlertSecrets(
  database: SqliteDatabase,
  replacements: { expected: StoredAlertSecret; replacement: StoredAlertSecret }[],
): number {
  const update = database.prepared(
    'UPDATE workspaces SET alert_secret = @replacement WHERE id = @id AND alert_secret = @expected',
  );
  let written = 0;
  for (const { expected, replacement } of replacements)
    written += update.run({
      id: expected.workspaceId,
      expected: expected.alertSecret,
      replacement: replacement.alertSecret,
    }).changes;
  return written;
}
