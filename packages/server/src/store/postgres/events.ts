// SQL for published events: the event, its deliveries and the wake-up of idle workers in one statement.
import type { NewDelivery } from '../../domain/delivery.js';
import type { EventRecord } from '../../domain/envelope.js';
import { toEvent, toPage, type EventRow } from '../rows.js';
import type { Page, PageRequest } from '../store.js';
import type { PostgresDatabase } from './database.js';

/** The channel idle workers LISTEN on; a publish NOTIFYs it when it made deliveries. */
export const DUE_CHANNEL = 'hookd_due';

/**
 * One statement, so one round trip and one transaction: the event, then one delivery per webhook that still
 * exists (a webhook deleted since publish matched it is skipped, and the event's count says so), then NOTIFY,
 * which PostgreSQL sends only once the statement's transaction has committed.
 */
const INSERT_EVENT_WITH_DELIVERIES = `
  WITH wanted AS (
    SELECT i.id, i.webhook_id, i.kind, i.next_attempt_at
    FROM unnest($9::text[], $10::text[], $11::text[], $12::timestamptz[]) AS i (id, webhook_id, kind, next_attempt_at)
    JOIN webhooks w ON w.id = i.webhook_id
  ), event AS (
    INSERT INTO events (id, workspace_id, type, timestamp, data, extras, idempotency_key, delivery_count, created_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, (SELECT count(*) FROM wanted), $8)
    RETURNING seq
  ), made AS (
    INSERT INTO deliveries (id, workspace_id, webhook_id, event_seq, kind, status, next_attempt_at, created_at, updated_at)
    SELECT wanted.id, $2, wanted.webhook_id, event.seq, wanted.kind, 'pending', wanted.next_attempt_at, $8, $8 FROM wanted, event
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM made) AS made,
    CASE WHEN EXISTS (SELECT 1 FROM made) THEN pg_notify('${DUE_CHANNEL}', '') END AS notified`;

export async function insertEventWithDeliveries(database: PostgresDatabase, event: EventRecord, deliveries: NewDelivery[]): Promise<number> {
  const params = [
    event.id,
    event.workspaceId,
    event.type,
    event.timestamp,
    event.dataJson,
    JSON.stringify(event.extras),
    event.idempotencyKey,
    event.createdAt,
    deliveries.map((delivery) => delivery.id),
    deliveries.map((delivery) => delivery.webhookId),
    deliveries.map((delivery) => delivery.kind ?? 'event'),
    deliveries.map((delivery) => delivery.nextAttemptAt),
  ];
  try {
    const [row] = await database.query<{ made: number }>(INSERT_EVENT_WITH_DELIVERIES, params);
    return row!.made;
  } catch (error) {
    // A webhook deleted after this statement read it but before its delivery's foreign key was checked: the
    // statement did nothing, and a second run no longer sees that webhook.
    if ((error as { code?: string }).code !== '23503') throw error;
    const [row] = await database.query<{ made: number }>(INSERT_EVENT_WITH_DELIVERIES, params);
    return row!.made;
  }
}

export async function findEvent(database: PostgresDatabase, workspaceId: string, id: string): Promise<EventRecord | undefined> {
  const [row] = await database.query<EventRow>('SELECT * FROM events WHERE workspace_id = $1 AND id = $2', [workspaceId, id]);
  return row && toEvent(row);
}

export async function findEventByIdempotencyKey(database: PostgresDatabase, workspaceId: string, key: string): Promise<EventRecord | undefined> {
  const [row] = await database.query<EventRow>('SELECT * FROM events WHERE workspace_id = $1 AND idempotency_key = $2', [workspaceId, key]);
  return row && toEvent(row);
}

export async function listEvents(database: PostgresDatabase, workspaceId: string, page: PageRequest): Promise<Page<EventRecord>> {
  const rows = await database.query<EventRow>('SELECT * FROM events WHERE workspace_id = $1 AND ($2::bigint IS NULL OR seq < $2) ORDER BY seq DESC LIMIT $3', [
    workspaceId,
    page.cursor === undefined ? null : Number(page.cursor),
    page.limit + 1,
  ]);
  return toPage(rows, page.limit, toEvent, (row) => row.seq);
}
