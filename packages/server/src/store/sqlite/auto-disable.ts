// Auto-disable on SQLite: one transaction finds the webhooks whose failing clock has run its limit and disables them.
import { autoDisableLimitMs, isPastAutoDisableLimit } from '../../domain/auto-disable.js';
import { statusChangesOf, type AutoDisabledWebhook } from '../auto-disabled-webhook.js';
import { insertStatusChangeAlerts } from './alerts.js';
import { toDate, toMs, type SqliteDatabase } from './database.js';

interface CandidateRow {
  id: string;
  workspace_id: string;
  status: 'healthy' | 'failing';
  failing_since: number;
  own_limit: string | null;
  workspace_limit: string | null;
}

/**
 * Failing webhooks with a limit set: few, so a scan of the webhooks once a minute costs nothing worth an index. The
 * limits are durations as people wrote them ("5d"), compared here rather than taught to SQL.
 */
const CANDIDATES = `SELECT w.id, w.workspace_id, w.status, w.failing_since,
    w.auto_disable_after AS own_limit, s.auto_disable_after AS workspace_limit
  FROM webhooks w JOIN workspaces s ON s.id = w.workspace_id
  WHERE w.failing_since IS NOT NULL AND w.active = 1 AND w.status <> 'disabled'
    AND COALESCE(w.auto_disable_after, s.auto_disable_after, 'never') <> 'never'`;

/** One IMMEDIATE transaction, the alerts of the webhooks it disabled queued in it. */
export function disableLongFailingWebhooks(database: SqliteDatabase, now: Date): AutoDisabledWebhook[] {
  return database.immediateTransaction(() => {
    const candidates = (database.prepared(CANDIDATES).all() as CandidateRow[]).filter((row) =>
      isPastAutoDisableLimit(toDate(row.failing_since), autoDisableLimitMs(row.own_limit, row.workspace_limit), now),
    );
    const disable = database.prepared(
      "UPDATE webhooks SET status = 'disabled', updated_at = @now WHERE id = @id AND status <> 'disabled' RETURNING id",
    );
    const disabled = candidates
      .filter((row) => disable.get({ now: toMs(now), id: row.id }) !== undefined)
      .map((row) => ({
        workspaceId: row.workspace_id,
        webhookId: row.id,
        previousStatus: row.status,
        failingSince: toDate(row.failing_since),
        autoDisableAfter: (row.own_limit ?? row.workspace_limit)!,
        disabledAt: now,
      }));
    insertStatusChangeAlerts(database, statusChangesOf(disabled), now);
    return disabled;
  });
}
