// Retention on PostgreSQL: batches that delete finished deliveries (with their attempts), events left with none and
// alerts sent or given up, one process at a time however many share the database.
import type pg from 'pg';
import type { PruneBatch, PruneBatchRequest } from '../store.js';
import type { PostgresDatabase } from './database.js';

/**
 * The advisory lock a batch holds for its transaction: processes sharing the database do not repeat each other's
 * work or wait on each other's rows; a process that finds it taken lets the holder prune (see PruneBatch).
 */
const PRUNE_LOCK = 0x686f6f6b; // "hook"

interface WindowRow {
  seq: number;
  recent: boolean;
  doomed: boolean;
}

/**
 * The window is a range scan of the primary key, read without locking (a claim's SKIP LOCKED would pass over pending
 * rows merely looked at); the DELETE checks again, so a delivery restarted meanwhile stays.
 */
const DELIVERY_WINDOW = `SELECT seq, created_at >= $1 AS recent, (status <> 'pending' AND updated_at < $1) AS doomed
  FROM deliveries WHERE seq > $2 ORDER BY seq LIMIT $3`;

/** Their attempts go by the foreign key's ON DELETE CASCADE, found through attempts_by_delivery. */
const DELETE_DELIVERIES = `WITH gone AS (
    DELETE FROM deliveries WHERE seq = ANY ($1::bigint[]) AND status <> 'pending' AND updated_at < $2 RETURNING 1
  ) SELECT count(*)::int AS deleted FROM gone`;

/** `deliveries_by_event` (migration 005) answers the NOT EXISTS, and the foreign key's check on delete, per event. */
const EVENT_WINDOW = `SELECT seq, created_at >= $1 AS recent,
    (created_at < $1 AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_seq = events.seq)) AS doomed
  FROM events WHERE seq > $2 ORDER BY seq LIMIT $3`;

const DELETE_EVENTS = `WITH gone AS (
    DELETE FROM events e WHERE seq = ANY ($1::bigint[]) AND created_at < $2
      AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_seq = e.seq) RETURNING 1
  ) SELECT count(*)::int AS deleted FROM gone`;

async function pruneBatch(
  database: PostgresDatabase,
  request: PruneBatchRequest,
  sql: { window: string; remove: string },
): Promise<PruneBatch> {
  const nothing = { deleted: 0, lastSeq: request.afterSeq, reachedRecent: true };
  return database.transaction(async (client: pg.PoolClient) => {
    const locked = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [
      PRUNE_LOCK,
    ]);
    if (!locked.rows[0]?.locked) return nothing;
    const rows = (await client.query<WindowRow>(sql.window, [request.before, request.afterSeq, request.limit])).rows;
    const lastSeq = rows.at(-1)?.seq ?? request.afterSeq;
    const reachedRecent = rows.length < request.limit || rows.some((row) => row.recent);
    const doomed = rows.filter((row) => row.doomed).map((row) => row.seq);
    if (doomed.length === 0) return { deleted: 0, lastSeq, reachedRecent };
    const result = await client.query<{ deleted: number }>(sql.remove, [doomed, request.before]);
    return { deleted: result.rows[0]?.deleted ?? 0, lastSeq, reachedRecent };
  });
}

export function deleteFinishedDeliveries(database: PostgresDatabase, request: PruneBatchRequest): Promise<PruneBatch> {
  return pruneBatch(database, request, { window: DELIVERY_WINDOW, remove: DELETE_DELIVERIES });
}

export function deleteEventsWithoutDeliveries(
  database: PostgresDatabase,
  request: PruneBatchRequest,
): Promise<PruneBatch> {
  return pruneBatch(database, request, { window: EVENT_WINDOW, remove: DELETE_EVENTS });
}

/** Sent or failed (never pending: due, retrying or in flight), and finished before `before`. */
const ALERT_WINDOW = `SELECT seq, created_at >= $1 AS recent, (status <> 'pending' AND updated_at < $1) AS doomed
  FROM alerts WHERE seq > $2 ORDER BY seq LIMIT $3`;

const DELETE_ALERTS = `WITH gone AS (
    DELETE FROM alerts WHERE seq = ANY ($1::bigint[]) AND status <> 'pending' AND updated_at < $2 RETURNING 1
  ) SELECT count(*)::int AS deleted FROM gone`;

export function deleteFinishedAlerts(database: PostgresDatabase, request: PruneBatchRequest): Promise<PruneBatch> {
  return pruneBatch(database, request, { window: ALERT_WINDOW, remove: DELETE_ALERTS });
}
