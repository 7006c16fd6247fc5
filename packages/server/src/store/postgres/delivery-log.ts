// SQL for a webhook's delivery log as the dashboard reads it: newest first, by status, event type or event id.
import type { Delivery } from '../../domain/delivery.js';
import type { Page, PageRequest } from '../store.js';
import { DELIVERY_COLUMNS, toDelivery, toPage, type DeliveryRow } from '../rows.js';
import { STATUS_LITERAL, type DeliveryLogFilter } from '../delivery-log-filter.js';
import type { PostgresDatabase } from './database.js';

/**
 * Newest first; one statement for each combination of filters, holding only the conditions given. Statements are
 * named (database.ts), so after five runs PostgreSQL may plan them once for any parameters: one catch-all statement
 * ("$7 IS NULL OR e.id = $7") then walked the webhook's whole log for an event id (no index can serve the OR), and
 * a partial index (… WHERE status = 'failed', migration 010) qualifies only for the literal status. By event id the
 * plan starts from the event (unique by workspace and id) and its few deliveries (deliveries_by_event, 007).
 */
export async function listDeliveries(
  database: PostgresDatabase,
  workspaceId: string,
  filter: DeliveryLogFilter,
  page: PageRequest,
): Promise<Page<Delivery>> {
  const params: unknown[] = [workspaceId, filter.webhookId, page.limit + 1];
  const conditions = ['d.workspace_id = $1', 'd.webhook_id = $2'];
  const bind = (value: unknown) => `$${params.push(value)}`;
  if (filter.status !== undefined) conditions.push(`d.status = ${STATUS_LITERAL[filter.status]}`);
  if (filter.eventType !== undefined) conditions.push(`e.type = ${bind(filter.eventType)}`);
  if (filter.eventId !== undefined) conditions.push(`e.workspace_id = $1 AND e.id = ${bind(filter.eventId)}`);
  if (page.cursor !== undefined) conditions.push(`d.seq < ${bind(Number(page.cursor))}::bigint`);
  const rows = await database.query<DeliveryRow>(
    `SELECT ${DELIVERY_COLUMNS} FROM deliveries d JOIN events e ON e.seq = d.event_seq
     WHERE ${conditions.join(' AND ')} ORDER BY d.seq DESC LIMIT $3`,
    params,
  );
  return toPage(rows, page.limit, toDelivery, (row) => row.seq);
}
