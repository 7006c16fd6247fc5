// SQL for the hourly attempt counts of webhooks (written in deliveries.ts as attempts are recorded).
import type { HourlyCount } from '../../domain/webhook-stats.js';
import { toMs, type SqliteDatabase } from './database.js';

/** The counts of these webhooks of the workspace since `since`: at most 24 rows a webhook, by primary key. */
export function listHourlyCounts(
  database: SqliteDatabase,
  workspaceId: string,
  webhookIds: string[],
  since: Date,
): HourlyCount[] {
  const rows = database
    .prepared(
      `SELECT s.webhook_id, s.hour_start, s.succeeded, s.failed
       FROM json_each(@ids) ids
       JOIN webhook_hourly_stats s ON s.webhook_id = ids.value AND s.hour_start >= @since
       JOIN webhooks w ON w.id = s.webhook_id AND w.workspace_id = @workspace_id`,
    )
    .all({ ids: JSON.stringify(webhookIds), since: toMs(since), workspace_id: workspaceId }) as {
    webhook_id: string;
    hour_start: number;
    succeeded: number;
    failed: number;
  }[];
  return rows.map((row) => ({
    webhookId: row.webhook_id,
    hourStart: new Date(row.hour_start),
    succeeded: row.succeeded,
    failed: row.failed,
  }));
}
