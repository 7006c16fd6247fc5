// Loads old finished deliveries straight into a database (SQL, not the API: a million through the API would take
// longer than the rest of the bench), as a month of traffic leaves them: for the retention scenario.
import Database from 'better-sqlite3';
import pg from 'pg';
import { isPostgres } from './databases.js';

/** Ten deliveries an event, each with one attempt, finished `ageMs` ago, to a webhook that exists (paused). */
export interface OldDeliveries {
  workspaceId: string;
  webhookId: string;
  /** Names this load's ids and event type (`msg_<cohort>_1`, `bench.<cohort>`), so that two loads go in one database. */
  cohort: string;
  events: number;
  ageMs: number;
}

const TEN = 10;

/**
 * An attempt's request headers as hookd records them (about 600 bytes: the same names, ids and a signature), as a SQL
 * expression of the webhook id, the event id and 64 hex digits. Rows as small as '{}' would free too little space for
 * the drain after the prune to fit in, and the bench would measure the rows' sizes, not whether space is reused.
 */
function requestHeaders(webhookId: string, eventId: string, hex64: string): string {
  return `'{"Content-Type":"application/json","User-Agent":"hookd/0.1.0",' ||
    '"X-Webhook-Event":"bench.old","X-Webhook-Id":"' || ${webhookId} || '","X-Webhook-Event-Id":"' || ${eventId} ||
    '","X-Webhook-Timestamp":"2026-10-07T12:00:00.000Z","webhook-id":"' || ${eventId} ||
    '","webhook-timestamp":"1791374400","webhook-signature":"v1,' || ${hex64} || '"}'`;
}

/** A receiver's answer headers as Node's http server sends them. */
const RESPONSE_HEADERS =
  '{"date":"Wed, 07 Oct 2026 12:00:00 GMT","connection":"keep-alive","keep-alive":"timeout=5","content-length":"0"}';

export async function loadOldDeliveries(database: string, load: OldDeliveries): Promise<void> {
  const old = Date.now() - load.ageMs;
  if (isPostgres(database)) return loadIntoPostgres(database, load, old);
  const db = new Database(database);
  try {
    db.pragma('journal_mode = WAL');
    const params = {
      ws: load.workspaceId,
      wh: load.webhookId,
      events: load.events,
      old,
      ten: TEN,
      type: `bench.${load.cohort}`,
      msg: `msg_${load.cohort}_`,
      dlv: `dlv_${load.cohort}_`,
    };
    db.transaction(() => {
      db.prepare(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @events)
         INSERT INTO events (id, workspace_id, type, timestamp, data, extras, idempotency_key, delivery_count, created_at)
         SELECT @msg || i, @ws, @type, @old, '{"n":1}', '{}', NULL, @ten, @old FROM n`,
      ).run(params);
      db.prepare(
        `WITH RECURSIVE k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < @ten)
         INSERT INTO deliveries (id, workspace_id, webhook_id, event_seq, kind, status, attempts, round_failures,
           next_attempt_at, lease_token, last_response_status, last_response_ms, last_error, created_at, updated_at)
         SELECT @dlv || e.seq || '_' || j, @ws, @wh, e.seq, 'event', 'success', 1, 0, NULL, NULL, 200, 5, NULL,
           @old, @old
         FROM events e, k WHERE e.type = @type ORDER BY e.seq, j`,
      ).run(params);
      db.prepare(
        `INSERT INTO attempts (delivery_seq, attempted_at, duration_ms, request_headers, response_status,
           response_headers, response_body, error)
         SELECT seq, @old, 5, ${requestHeaders('@wh', '@msg || event_seq', 'lower(hex(randomblob(32)))')}, 200,
           '${RESPONSE_HEADERS}', 'ok', NULL
         FROM deliveries WHERE webhook_id = @wh AND substr(id, 1, length(@dlv)) = @dlv ORDER BY seq`,
      ).run({ wh: load.webhookId, old, msg: params.msg, dlv: params.dlv });
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

async function loadIntoPostgres(url: string, load: OldDeliveries, old: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const at = new Date(old);
    await client.query(
      `INSERT INTO events (id, workspace_id, type, timestamp, data, extras, idempotency_key, delivery_count, created_at)
       SELECT $5 || i, $1, $6, $2, '{"n":1}', '{}', NULL, $4, $2 FROM generate_series(1, $3) i`,
      [load.workspaceId, at, load.events, TEN, `msg_${load.cohort}_`, `bench.${load.cohort}`],
    );
    await client.query(
      `INSERT INTO deliveries (id, workspace_id, webhook_id, event_seq, kind, status, attempts, round_failures,
         next_attempt_at, lease_token, last_response_status, last_response_ms, last_error, created_at, updated_at)
       SELECT $5 || e.seq || '_' || j, $1, $2, e.seq, 'event', 'success', 1, 0, NULL, NULL, 200, 5, NULL, $3, $3
       FROM events e, generate_series(1, $4) j WHERE e.type = $6 ORDER BY e.seq, j`,
      [load.workspaceId, load.webhookId, at, TEN, `dlv_${load.cohort}_`, `bench.${load.cohort}`],
    );
    await client.query(
      `INSERT INTO attempts (delivery_seq, attempted_at, duration_ms, request_headers, response_status,
         response_headers, response_body, error)
       SELECT seq, $2, 5, ${requestHeaders('$1', '$3 || event_seq', 'md5(id) || md5(seq::text)')}, 200,
         '${RESPONSE_HEADERS}', 'ok', NULL
       FROM deliveries WHERE webhook_id = $1 AND starts_with(id, $4) ORDER BY seq`,
      [load.webhookId, at, `msg_${load.cohort}_`, `dlv_${load.cohort}_`],
    );
    await client.query('VACUUM ANALYZE');
  } finally {
    await client.end();
  }
}

export interface DatabaseState {
  /** Old deliveries not yet pruned. */
  left: number;
  bytes: number;
  /** SQLite: free pages, which new rows reuse before the file grows (PostgreSQL: 0, not measured here). */
  freeBytes: number;
  /** Each table's and index's size, to say which grew. */
  relations: Record<string, { kind: 'table' | 'index'; bytes: number }>;
}

/** A table's or index's size as either engine reports it (PostgreSQL's bigint as a string). */
interface RelationRow {
  name: string;
  kind: 'table' | 'index';
  bytes: number | string;
}

const byName = (rows: RelationRow[]): DatabaseState['relations'] =>
  Object.fromEntries(rows.map((row) => [row.name, { kind: row.kind, bytes: Number(row.bytes) }]));

/** Old deliveries not yet pruned: cheap enough to poll every second. */
export async function oldLeft(database: string, webhookId: string): Promise<number> {
  if (isPostgres(database)) {
    const client = new pg.Client({ connectionString: database });
    await client.connect();
    try {
      const { rows } = await client.query<{ left: number }>(
        'SELECT count(*)::int AS left FROM deliveries WHERE webhook_id = $1',
        [webhookId],
      );
      return rows[0]!.left;
    } finally {
      await client.end();
    }
  }
  const db = new Database(database, { readonly: true });
  try {
    return (
      db.prepare('SELECT count(*) AS left FROM deliveries WHERE webhook_id = ?').get(webhookId) as { left: number }
    ).left;
  } finally {
    db.close();
  }
}

/** The database's size and each table's and index's (on SQLite, dbstat reads every page: not for polling). */
export async function databaseState(database: string, webhookId: string): Promise<DatabaseState> {
  const left = await oldLeft(database, webhookId);
  if (isPostgres(database)) {
    const client = new pg.Client({ connectionString: database });
    await client.connect();
    try {
      const { rows } = await client.query<{ bytes: string }>('SELECT pg_database_size(current_database()) AS bytes');
      const sizes = await client.query<RelationRow>(
        `SELECT relname AS name, CASE relkind WHEN 'i' THEN 'index' ELSE 'table' END AS kind,
           pg_relation_size(oid) AS bytes
         FROM pg_class WHERE relkind IN ('r', 'i') AND relnamespace = 'public'::regnamespace`,
      );
      return { left, bytes: Number(rows[0]!.bytes), freeBytes: 0, relations: byName(sizes.rows) };
    } finally {
      await client.end();
    }
  }
  const db = new Database(database, { readonly: true });
  try {
    const pages = db.pragma('page_count', { simple: true }) as number;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const free = db.pragma('freelist_count', { simple: true }) as number;
    const sizes = db
      .prepare(
        `SELECT d.name, s.type AS kind, sum(d.pgsize) AS bytes FROM dbstat d JOIN sqlite_schema s ON s.name = d.name
         GROUP BY d.name`,
      )
      .all() as RelationRow[];
    return { left, bytes: pages * pageSize, freeBytes: free * pageSize, relations: byName(sizes) };
  } finally {
    db.close();
  }
}

/** The tables the pruner deletes most from: PostgreSQL reuses their freed space once VACUUM has passed over them. */
const PRUNED_TABLES = ['events', 'deliveries', 'attempts'];

/**
 * PostgreSQL: whether (auto)vacuum has finished a pass over each pruned table since `since`, so that the space the
 * prune freed is reused before the files grow. SQLite: always true (freed pages go to its freelist at commit).
 */
export async function vacuumedSince(database: string, since: Date): Promise<boolean> {
  if (!isPostgres(database)) return true;
  const client = new pg.Client({ connectionString: database });
  await client.connect();
  try {
    const { rows } = await client.query<{ done: number }>(
      `SELECT count(*)::int AS done FROM pg_stat_user_tables
       WHERE relname = ANY ($1) AND greatest(last_vacuum, last_autovacuum) > $2`,
      [PRUNED_TABLES, since],
    );
    return rows[0]!.done === PRUNED_TABLES.length;
  } finally {
    await client.end();
  }
}
