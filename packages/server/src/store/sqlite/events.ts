// SQL for published events: the event and its deliveries are written in one transaction (the group commit's).
import type { EventRecord } from '../../domain/envelope.js';
import type { EventPageRequest, NewDelivery, Page, StoredEvent } from '../store.js';
import { toBudgetPage, toEvent, type EventRow } from '../rows.js';
import { limitTo, toMs, type SqliteDatabase } from './database.js';

/** Runs inside the group commit's transaction, so the event and its deliveries are one write. */
export function insertEventWithDeliveries(
  database: SqliteDatabase,
  event: EventRecord,
  deliveries: NewDelivery[],
): StoredEvent {
  const insertEvent = database.prepared(
    `INSERT INTO events (id, workspace_id, type, timestamp, data, extras, idempotency_key, delivery_count, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // Through the webhooks table, so a webhook deleted since publish matched it is skipped instead of failing the insert.
  const insertDelivery = database.prepared(
    `INSERT INTO deliveries (id, workspace_id, webhook_id, event_seq, kind, status, next_attempt_at, lease_token, created_at, updated_at)
     SELECT ?, ?, id, ?, ?, 'pending', ?, ?, ?, ? FROM webhooks WHERE id = ?`,
  );
  const correctCount = database.prepared('UPDATE events SET delivery_count = ? WHERE seq = ?');
  const created = toMs(event.createdAt);
  const { lastInsertRowid } = insertEvent.run(
    event.id,
    event.workspaceId,
    event.type,
    toMs(event.timestamp),
    event.dataJson,
    JSON.stringify(event.extras),
    event.idempotencyKey,
    deliveries.length,
    created,
  );
  let made = 0;
  const leasedSeqs: Record<string, number> = {};
  for (const delivery of deliveries) {
    const leaseToken = delivery.leaseToken ?? null;
    const inserted = insertDelivery.run(
      delivery.id,
      event.workspaceId,
      lastInsertRowid,
      delivery.kind ?? 'event',
      toMs(delivery.nextAttemptAt),
      leaseToken,
      created,
      created,
      delivery.webhookId,
    );
    made += inserted.changes;
    if (inserted.changes > 0 && leaseToken !== null) leasedSeqs[delivery.id] = Number(inserted.lastInsertRowid);
  }
  if (made !== deliveries.length) correctCount.run(made, lastInsertRowid);
  return { made, leasedSeqs };
}

export function findEvent(database: SqliteDatabase, workspaceId: string, id: string): EventRecord | undefined {
  const row = database.prepared('SELECT * FROM events WHERE workspace_id = ? AND id = ?').get(workspaceId, id) as
    EventRow | undefined;
  return row && toEvent(row);
}

export function findEventByIdempotencyKey(
  database: SqliteDatabase,
  workspaceId: string,
  key: string,
): EventRecord | undefined {
  const row = database
    .prepared('SELECT * FROM events WHERE workspace_id = ? AND idempotency_key = ?')
    .get(workspaceId, key) as EventRow | undefined;
  return row && toEvent(row);
}

/**
 * The page's candidates by size first (octet_length reads a value's size, not the value), then the data of those
 * that start before the byte budget is spent: a page of big events never loads more than it sends.
 */
const LIST_EVENTS = `
  WITH candidates AS (
    SELECT seq, octet_length(data) AS size FROM events
    WHERE workspace_id = @workspace_id AND (@cursor IS NULL OR seq < @cursor) ORDER BY seq DESC ${limitTo('limit')}
  ), placed AS (
    SELECT seq, sum(size) OVER (ORDER BY seq DESC) - size AS bytes_before FROM candidates
  )
  SELECT events.*, (SELECT count(*) FROM candidates) AS candidates
  FROM placed JOIN events ON events.seq = placed.seq
  WHERE @max_bytes IS NULL OR placed.bytes_before < @max_bytes
  ORDER BY events.seq DESC`;

export function listEvents(database: SqliteDatabase, workspaceId: string, page: EventPageRequest): Page<EventRecord> {
  const rows = database.prepared(LIST_EVENTS).all({
    workspace_id: workspaceId,
    cursor: page.cursor === undefined ? null : Number(page.cursor),
    limit: page.limit + 1,
    max_bytes: page.maxDataBytes ?? null,
  }) as (EventRow & { candidates: number })[];
  return toBudgetPage(rows, page.limit, toEvent, (row) => row.seq);
}
