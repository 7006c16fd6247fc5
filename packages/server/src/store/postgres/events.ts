// SQL for published events: events, their deliveries and the wake-up of idle workers, a batch in one statement.
import type { EventRecord } from '../../domain/envelope.js';
import { toBudgetPage, toEvent, type EventRow } from '../rows.js';
import type { PostgresDatabase } from './database.js';
import { UniqueViolation, type EventPageRequest, type NewDelivery, type Page, type StoredEvent } from '../store.js';

/** The channel idle workers LISTEN on; a publish NOTIFYs it when it made deliveries. */
export const DUE_CHANNEL = 'hookd_due';

/** One publish waiting in a batch: its event, its deliveries, and how its caller learns the outcome. */
export interface Publish {
  event: EventRecord;
  deliveries: NewDelivery[];
}

/**
 * Publishes that arrive together, in one statement and so one round trip and one commit (a NOTIFY, too, makes
 * commits take turns: one per batch rather than one per publish). Events go in with ON CONFLICT DO NOTHING, so an
 * id or idempotency key seen before skips that event alone: its publish answers UniqueViolation, the others stand.
 * Each event gets a delivery per webhook that still exists (a webhook deleted since publish matched it is skipped,
 * and the event's count says so). NOTIFY is sent by PostgreSQL only once the statement has committed, and only when
 * some delivery is due: those made leased go to the publishing process's worker, and no other could claim them.
 */
const INSERT_EVENTS_WITH_DELIVERIES = `
  WITH input AS (
    SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[], $8::text[], $9::timestamptz[])
      AS e (n, id, workspace_id, type, timestamp, data, extras, idempotency_key, created_at)
  ), wanted AS (
    SELECT d.n, d.id, d.webhook_id, d.kind, d.next_attempt_at, d.lease_token
    FROM unnest($10::int[], $11::text[], $12::text[], $13::text[], $14::timestamptz[], $15::text[]) AS d (n, id, webhook_id, kind, next_attempt_at, lease_token)
    JOIN webhooks w ON w.id = d.webhook_id
  ), event AS (
    INSERT INTO events (id, workspace_id, type, timestamp, data, extras, idempotency_key, delivery_count, created_at)
    SELECT e.id, e.workspace_id, e.type, e.timestamp, e.data, e.extras, e.idempotency_key,
      (SELECT count(*) FROM wanted WHERE wanted.n = e.n), e.created_at
    FROM input e ORDER BY e.n
    ON CONFLICT DO NOTHING
    RETURNING seq, workspace_id, id
  ), stored AS (
    SELECT i.n, i.workspace_id, i.created_at, event.seq FROM input i JOIN event ON event.workspace_id = i.workspace_id AND event.id = i.id
  ), made AS (
    INSERT INTO deliveries (id, workspace_id, webhook_id, event_seq, kind, status, next_attempt_at, lease_token, created_at, updated_at)
    SELECT wanted.id, stored.workspace_id, wanted.webhook_id, stored.seq, wanted.kind, 'pending', wanted.next_attempt_at, wanted.lease_token,
      stored.created_at, stored.created_at
    FROM stored JOIN wanted ON wanted.n = stored.n
    RETURNING event_seq, id, seq, lease_token
  )
  SELECT stored.n, (SELECT count(*) FROM made WHERE made.event_seq = stored.seq) AS made,
    (SELECT json_object_agg(made.id, made.seq) FROM made WHERE made.event_seq = stored.seq AND made.lease_token IS NOT NULL) AS leased,
    CASE WHEN stored.n = (SELECT min(n) FROM stored) AND EXISTS (SELECT 1 FROM made WHERE lease_token IS NULL) THEN pg_notify('${DUE_CHANNEL}', '') END AS notified
  FROM stored`;

interface InsertedRow {
  n: number;
  made: number;
  leased: Record<string, number> | null;
}

/** Answers, per publish in order, what it stored, or undefined where the event's id or key was taken. */
async function insertBatch(database: PostgresDatabase, batch: Publish[]): Promise<(StoredEvent | undefined)[]> {
  const deliveries = batch.flatMap(({ deliveries: made }, n) => made.map((delivery) => ({ n, delivery })));
  const params = [
    batch.map((_, n) => n),
    batch.map(({ event }) => event.id),
    batch.map(({ event }) => event.workspaceId),
    batch.map(({ event }) => event.type),
    batch.map(({ event }) => event.timestamp),
    batch.map(({ event }) => event.dataJson),
    batch.map(({ event }) => JSON.stringify(event.extras)),
    batch.map(({ event }) => event.idempotencyKey),
    batch.map(({ event }) => event.createdAt),
    deliveries.map(({ n }) => n),
    deliveries.map(({ delivery }) => delivery.id),
    deliveries.map(({ delivery }) => delivery.webhookId),
    deliveries.map(({ delivery }) => delivery.kind ?? 'event'),
    deliveries.map(({ delivery }) => delivery.nextAttemptAt),
    deliveries.map(({ delivery }) => delivery.leaseToken ?? null),
  ];
  let rows: InsertedRow[];
  try {
    rows = await database.query<InsertedRow>(INSERT_EVENTS_WITH_DELIVERIES, params);
  } catch (error) {
    // A webhook deleted after this statement read it but before a delivery's foreign key was checked: the
    // statement did nothing, and a second run no longer sees that webhook.
    if ((error as { code?: string }).code !== '23503') throw error;
    rows = await database.query<InsertedRow>(INSERT_EVENTS_WITH_DELIVERIES, params);
  }
  // seq is a bigint, which JSON carries as a number: exact while it stays below 2^53, as everywhere else in hookd.
  const stored = new Map(
    rows.map((row): [number, StoredEvent] => [row.n, { made: Number(row.made), leasedSeqs: row.leased ?? {} }]),
  );
  return batch.map((_, n) => stored.get(n));
}

/** Two publishes of one batch with the same event id or idempotency key: the later waits for the next batch. */
export function clashes(a: Publish, b: Publish): boolean {
  return (
    a.event.workspaceId === b.event.workspaceId &&
    (a.event.id === b.event.id ||
      (a.event.idempotencyKey !== null && a.event.idempotencyKey === b.event.idempotencyKey))
  );
}

/** Publishes of one statement (see INSERT_EVENTS_WITH_DELIVERIES): each one's deliveries made, or UniqueViolation. */
export async function insertPublishes(database: PostgresDatabase, batch: Publish[]): Promise<(StoredEvent | Error)[]> {
  const outcomes = await insertBatch(database, batch);
  return outcomes.map((made) => made ?? new UniqueViolation('events: the event id or idempotency key was seen before'));
}

export async function findEvent(
  database: PostgresDatabase,
  workspaceId: string,
  id: string,
): Promise<EventRecord | undefined> {
  const [row] = await database.query<EventRow>('SELECT * FROM events WHERE workspace_id = $1 AND id = $2', [
    workspaceId,
    id,
  ]);
  return row && toEvent(row);
}

export async function findEventByIdempotencyKey(
  database: PostgresDatabase,
  workspaceId: string,
  key: string,
): Promise<EventRecord | undefined> {
  const [row] = await database.query<EventRow>(
    'SELECT * FROM events WHERE workspace_id = $1 AND idempotency_key = $2',
    [workspaceId, key],
  );
  return row && toEvent(row);
}

/**
 * The page's candidates by size first (octet_length of a TOASTed text reads its header, not the value), then the
 * data of those that start before the byte budget is spent: a page of big events never loads more than it sends.
 */
const LIST_EVENTS = `
  WITH candidates AS (
    SELECT seq, octet_length(data)::bigint AS size FROM events
    WHERE workspace_id = $1 AND ($2::bigint IS NULL OR seq < $2) ORDER BY seq DESC LIMIT $3
  ), placed AS (
    SELECT seq, sum(size) OVER (ORDER BY seq DESC) - size AS bytes_before FROM candidates
  )
  SELECT events.*, (SELECT count(*) FROM candidates) AS candidates
  FROM placed JOIN events ON events.seq = placed.seq
  WHERE $4::bigint IS NULL OR placed.bytes_before < $4
  ORDER BY events.seq DESC`;

export async function listEvents(
  database: PostgresDatabase,
  workspaceId: string,
  page: EventPageRequest,
): Promise<Page<EventRecord>> {
  const rows = await database.query<EventRow & { candidates: string }>(LIST_EVENTS, [
    workspaceId,
    page.cursor === undefined ? null : Number(page.cursor),
    page.limit + 1,
    page.maxDataBytes ?? null,
  ]);
  return toBudgetPage(rows, page.limit, toEvent, (row) => row.seq);
}
