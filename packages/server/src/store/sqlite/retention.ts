// Retention on SQLite: batches that delete finished deliveries (with their attempts), events left with none, and
// alerts sent or given up.
import type { PruneBatch, PruneBatchRequest } from '../store.js';
import { limitTo, type SqliteDatabase } from './database.js';

interface WindowRow {
  seq: number;
  created_at: number;
  doomed: number;
}

/** The window of the walk and which of its rows go; the rows' seqs are in order, so the window is a PK range scan. */
function walked(rows: WindowRow[], request: PruneBatchRequest): PruneBatch & { doomed: number[] } {
  const before = request.before.getTime();
  return {
    deleted: 0,
    lastSeq: rows.at(-1)?.seq ?? request.afterSeq,
    reachedRecent: rows.length < request.limit || rows.some((row) => row.created_at >= before),
    doomed: rows.filter((row) => row.doomed === 1).map((row) => row.seq),
  };
}

/** Finished (not pending) and unchanged since `before`: a delivery still due or in flight is always pending. */
const DELIVERY_WINDOW = `SELECT seq, created_at, (status <> 'pending' AND updated_at < @before) AS doomed
  FROM deliveries WHERE seq > @afterSeq ORDER BY seq ${limitTo('limit')}`;

export function deleteFinishedDeliveries(database: SqliteDatabase, request: PruneBatchRequest): PruneBatch {
  return database.immediateTransaction(() => {
    const rows = database
      .prepared(DELIVERY_WINDOW)
      .all({ before: request.before.getTime(), afterSeq: request.afterSeq, limit: request.limit }) as WindowRow[];
    const { doomed, ...batch } = walked(rows, request);
    if (doomed.length === 0) return batch;
    const seqs = JSON.stringify(doomed);
    database.prepared('DELETE FROM attempts WHERE delivery_seq IN (SELECT value FROM json_each(?))').run(seqs);
    const deleted = database.prepared('DELETE FROM deliveries WHERE seq IN (SELECT value FROM json_each(?))').run(seqs);
    return { ...batch, deleted: deleted.changes };
  });
}

/** `deliveries_by_event` (migration 005) answers the NOT EXISTS, and the foreign key's check on delete, per event. */
const EVENT_WINDOW = `SELECT seq, created_at,
    (created_at < @before AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_seq = events.seq)) AS doomed
  FROM events WHERE seq > @afterSeq ORDER BY seq ${limitTo('limit')}`;

export function deleteEventsWithoutDeliveries(database: SqliteDatabase, request: PruneBatchRequest): PruneBatch {
  return database.immediateTransaction(() => {
    const rows = database
      .prepared(EVENT_WINDOW)
      .all({ before: request.before.getTime(), afterSeq: request.afterSeq, limit: request.limit }) as WindowRow[];
    const { doomed, ...batch } = walked(rows, request);
    if (doomed.length === 0) return batch;
    const deleted = database
      .prepared('DELETE FROM events WHERE seq IN (SELECT value FROM json_each(?))')
      .run(JSON.stringify(doomed));
    return { ...batch, deleted: deleted.changes };
  });
}

/** Sent or failed (never pending: due, retrying or in flight), and finished before `before`. */
const ALERT_WINDOW = `SELECT seq, created_at, (status <> 'pending' AND updated_at < @before) AS doomed
  FROM alerts WHERE seq > @afterSeq ORDER BY seq ${limitTo('limit')}`;

export function deleteFinishedAlerts(database: SqliteDatabase, request: PruneBatchRequest): PruneBatch {
  return database.immediateTransaction(() => {
    const rows = database
      .prepared(ALERT_WINDOW)
      .all({ before: request.before.getTime(), afterSeq: request.afterSeq, limit: request.limit }) as WindowRow[];
    const { doomed, ...batch } = walked(rows, request);
    if (doomed.length === 0) return batch;
    const deleted = database
      .prepared('DELETE FROM alerts WHERE seq IN (SELECT value FROM json_each(?))')
      .run(JSON.stringify(doomed));
    return { ...batch, deleted: deleted.changes };
  });
}
