// Auto-disable on PostgreSQL: one transaction finds the webhooks whose failing clock has run its limit and disables
// them, safe with any number of processes sweeping the same database at once.
import { autoDisableLimitMs, isPastAutoDisableLimit } from '../../domain/auto-disable.js';
import { statusChangesOf, type AutoDisabledWebhook } from '../auto-disabled-webhook.js';
import { insertStatusChangeAlerts } from './alerts.js';
import type { PostgresDatabase } from './database.js';

interface CandidateRow {
  id: string;
  workspace_id: string;
  status: 'healthy' | 'failing';
  failing_since: Date;
  own_limit: string | null;
  workspace_limit: string | null;
}

/**
 * Failing webhooks with a limit set: few, so a scan of the webhooks once a minute costs nothing worth an index. The
 * rows are locked so that the status read is the one replaced; SKIP LOCKED, so the sweep never waits: a webhook
 * whose row a recordAttempts or another sweep holds is left to the next round, and no lock cycle can form.
 */
const CANDIDATES = `SELECT w.id, w.workspace_id, w.status, w.failing_since,
    w.auto_disable_after AS own_limit, s.auto_disable_after AS workspace_limit
  FROM webhooks w JOIN workspaces s ON s.id = w.workspace_id
  WHERE w.failing_since IS NOT NULL AND w.active AND w.status <> 'disabled'
    AND COALESCE(w.auto_disable_after, s.auto_disable_after, 'never') <> 'never'
  ORDER BY w.id
  FOR UPDATE OF w SKIP LOCKED`;

/** What another process disabled first is not answered again: the WHERE is checked on the row as it now is. */
const DISABLE = `UPDATE webhooks SET status = 'disabled', updated_at = $2
  WHERE id = ANY ($1::text[]) AND status <> 'disabled' RETURNING id`;

/** One transaction, the alerts of the webhooks it disabled queued in it. */
export function disableLongFailingWebhooks(database: PostgresDatabase, now: Date): Promise<AutoDisabledWebhook[]> {
  return database.transaction(async (client) => {
    const candidates = (await client.query<CandidateRow>(CANDIDATES)).rows.filter((row) =>
      isPastAutoDisableLimit(row.failing_since, autoDisableLimitMs(row.own_limit, row.workspace_limit), now),
    );
    if (candidates.length === 0) return [];
    const changed = new Set(
      (await client.query<{ id: string }>(DISABLE, [candidates.map((row) => row.id), now])).rows.map((row) => row.id),
    );
    const disabled = candidates
      .filter((row) => changed.has(row.id))
      .map((row) => ({
        workspaceId: row.workspace_id,
        webhookId: row.id,
        previousStatus: row.status,
        failingSince: row.failing_since,
        autoDisableAfter: (row.own_limit ?? row.workspace_limit)!,
        disabledAt: now,
      }));
    await insertStatusChangeAlerts(client, statusChangesOf(disabled), now);
    return disabled;
  });
}
