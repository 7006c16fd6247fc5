// Loads a delivery log straight into a database (SQL in bulk, not the API: a million publishes through HTTP would
// take longer than the rest of the bench) as a week of traffic leaves it, for the dashboard and stats scenarios: each
// event delivered to the first webhook and to one of the others, one attempt each, a few failed, a few still pending,
// and the hourly rollups the recorder keeps beside them.
import Database from 'better-sqlite3';
import pg from 'pg';
import { isPostgres } from './databases.js';

export interface LogData {
  workspaceId: string;
  /** The first gets a delivery of every event (half the log); the others share the rest. At least two. */
  webhookIds: string[];
  /** Cycled through, event by event. */
  eventTypes: string[];
  /** Deliveries in all: two an event. */
  deliveries: number;
  /** The log spans this much time up to now. */
  spanMs: number;
}

/** One delivery in 1,000 is pending (due in a year, so never sent), one in 50 failed, the rest succeeded. */
const STATUS = `CASE WHEN (e.seq * 2 + j) % 1000 = 0 THEN 'pending' WHEN (e.seq * 2 + j) % 50 = 0 THEN 'failed' ELSE 'success' END`;

export async function loadLog(database: string, data: LogData): Promise<void> {
  if (data.webhookIds.length < 2) throw new Error('loadLog: needs at least two webhooks');
  if (isPostgres(database)) return loadIntoPostgres(database, data);
  const db = new Database(database);
  try {
    db.pragma('journal_mode = WAL');
    db.transaction(() => loadIntoSqlite(db, data))();
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

function loadIntoSqlite(db: Database.Database, data: LogData): void {
  const now = Date.now();
  const params = {
    ws: data.workspaceId,
    events: Math.ceil(data.deliveries / 2),
    start: now - data.spanMs,
    step: data.spanMs / Math.ceil(data.deliveries / 2),
    types: JSON.stringify(data.eventTypes),
    ntypes: data.eventTypes.length,
    others: data.webhookIds.length - 1,
    year: now + 365 * 86_400_000,
  };
  db.exec('CREATE TEMP TABLE bench_hooks (k INTEGER PRIMARY KEY, id TEXT NOT NULL)');
  db.prepare('INSERT INTO bench_hooks SELECT key, value FROM json_each(?)').run(JSON.stringify(data.webhookIds));
  db.exec('CREATE TEMP TABLE bench_types (k INTEGER PRIMARY KEY, name TEXT NOT NULL)');
  db.prepare('INSERT INTO bench_types SELECT key, value FROM json_each(@types)').run(params);
  db.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @events)
     INSERT INTO events (id, workspace_id, type, timestamp, data, extras, idempotency_key, delivery_count, created_at)
     SELECT 'msg_log_' || i, @ws, t.name, CAST(@start + i * @step AS INTEGER), '{"n":1}', '{}', NULL, 2,
       CAST(@start + i * @step AS INTEGER)
     FROM n JOIN bench_types t ON t.k = i % @ntypes`,
  ).run(params);
  db.prepare(
    `INSERT INTO deliveries (id, workspace_id, webhook_id, event_seq, kind, status, attempts, round_failures,
       next_attempt_at, lease_token, last_response_status, last_response_ms, last_error, created_at, updated_at)
     SELECT 'dlv_log_' || x.seq || '_' || x.j, @ws, h.id, x.seq, 'event', x.status, x.status != 'pending', 0,
       CASE x.status WHEN 'pending' THEN @year END, NULL,
       CASE x.status WHEN 'success' THEN 200 WHEN 'failed' THEN 500 END, 5, NULL, x.created_at, x.created_at
     FROM (SELECT e.seq, e.created_at, j, ${STATUS} AS status
           FROM events e JOIN (SELECT 0 AS j UNION ALL SELECT 1)
           WHERE e.workspace_id = @ws AND e.id LIKE 'msg_log_%') x
       JOIN bench_hooks h ON h.k = CASE x.j WHEN 0 THEN 0 ELSE 1 + x.seq % @others END
     ORDER BY x.seq, x.j`,
  ).run(params);
  db.prepare(
    `INSERT INTO attempts (delivery_seq, attempted_at, duration_ms, request_headers, response_status,
       response_headers, response_body, error)
     SELECT seq, created_at, 5, '{"content-type":"application/json","webhook-signature":"v1,…"}',
       last_response_status, '{"content-type":"text/plain"}', CASE status WHEN 'success' THEN 'ok' ELSE 'boom' END,
       NULL
     FROM deliveries WHERE workspace_id = ? AND status != 'pending' ORDER BY seq`,
  ).run(data.workspaceId);
  db.prepare(
    `INSERT INTO webhook_hourly_stats (webhook_id, hour_start, succeeded, failed)
     SELECT webhook_id, (created_at / 3600000) * 3600000, SUM(status = 'success'), SUM(status = 'failed')
     FROM deliveries WHERE workspace_id = ? AND status != 'pending' GROUP BY 1, 2`,
  ).run(data.workspaceId);
}

async function loadIntoPostgres(url: string, data: LogData): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const events = Math.ceil(data.deliveries / 2);
  try {
    await client.query(
      `INSERT INTO events (id, workspace_id, type, timestamp, data, extras, idempotency_key, delivery_count, created_at)
       SELECT 'msg_log_' || i, $1, ($4::text[])[1 + i % cardinality($4::text[])],
         now() - $2 * interval '1 millisecond' + i * ($2::float8 / $3) * interval '1 millisecond', '{"n":1}', '{}',
         NULL, 2, now() - $2 * interval '1 millisecond' + i * ($2::float8 / $3) * interval '1 millisecond'
       FROM generate_series(1, $3) i`,
      [data.workspaceId, data.spanMs, events, data.eventTypes],
    );
    await client.query(
      `INSERT INTO deliveries (id, workspace_id, webhook_id, event_seq, kind, status, attempts, round_failures,
         next_attempt_at, lease_token, last_response_status, last_response_ms, last_error, created_at, updated_at)
       SELECT 'dlv_log_' || e.seq || '_' || j, $1, ($2::text[])[CASE j WHEN 0 THEN 1 ELSE 2 + e.seq % (cardinality($2::text[]) - 1) END],
         e.seq, 'event', s.status, CASE s.status WHEN 'pending' THEN 0 ELSE 1 END, 0,
         CASE s.status WHEN 'pending' THEN now() + interval '1 year' END, NULL,
         CASE s.status WHEN 'success' THEN 200 WHEN 'failed' THEN 500 END, 5, NULL, e.created_at, e.created_at
       FROM events e CROSS JOIN generate_series(0, 1) j CROSS JOIN LATERAL (SELECT ${STATUS} AS status) s
       WHERE e.workspace_id = $1 AND e.id LIKE 'msg_log_%' ORDER BY e.seq, j`,
      [data.workspaceId, data.webhookIds],
    );
    await client.query(
      `INSERT INTO attempts (delivery_seq, attempted_at, duration_ms, request_headers, response_status,
         response_headers, response_body, error)
       SELECT seq, created_at, 5, '{"content-type":"application/json","webhook-signature":"v1,…"}',
         last_response_status, '{"content-type":"text/plain"}', CASE status WHEN 'success' THEN 'ok' ELSE 'boom' END,
         NULL
       FROM deliveries WHERE workspace_id = $1 AND status != 'pending' ORDER BY seq`,
      [data.workspaceId],
    );
    await client.query(
      `INSERT INTO webhook_hourly_stats (webhook_id, hour_start, succeeded, failed)
       SELECT webhook_id, date_trunc('hour', created_at), count(*) FILTER (WHERE status = 'success'),
         count(*) FILTER (WHERE status = 'failed')
       FROM deliveries WHERE workspace_id = $1 AND status != 'pending' GROUP BY 1, 2`,
      [data.workspaceId],
    );
    await client.query('VACUUM ANALYZE');
  } finally {
    await client.end();
  }
}
