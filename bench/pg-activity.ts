// What PostgreSQL's server did over a phase of the bench (WAL written, full-page images, pages read or found in
// shared_buffers, by table and index), read before and after: to say why one drain ran slower than another on the
// same database when hookd's own figures do not.
import pg from 'pg';

export interface PgActivity {
  /** From the WAL insert position: exact, and the whole server's (the bench's database is the only busy one). */
  walBytes: number;
  /**
   * Full-page images: a page's first change after a checkpoint writes the whole 8 kB page to the WAL. This and the
   * pages below are the cumulative statistics, which a backend reports at most once a second (an idle one within
   * 10 s): the edges of a phase may land in the next one.
   */
  walFullPages: number;
  /** Table and index pages read from outside shared_buffers (the OS's cache or the disk). */
  blocksRead: number;
  blocksHit: number;
  /** Each table's and index's pages read or hit: which one a slow drain spends them on. */
  blocksByRelation: Record<string, number>;
}

/** The server's totals now (they only grow); `activityBetween` turns two into one phase's. */
export async function pgActivity(database: string): Promise<PgActivity> {
  const client = new pg.Client({ connectionString: database });
  await client.connect();
  try {
    const { rows } = await client.query<Record<'walBytes' | 'walFullPages' | 'blocksRead' | 'blocksHit', string>>(
      `SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0') AS "walBytes",
         (SELECT wal_fpi FROM pg_stat_wal) AS "walFullPages",
         (SELECT sum(heap_blks_read + coalesce(idx_blks_read, 0)) FROM pg_statio_user_tables) AS "blocksRead",
         (SELECT sum(heap_blks_hit + coalesce(idx_blks_hit, 0)) FROM pg_statio_user_tables) AS "blocksHit"`,
    );
    const relations = await client.query<{ name: string; blocks: string }>(
      `SELECT relname AS name, heap_blks_read + heap_blks_hit AS blocks FROM pg_statio_user_tables
       UNION ALL SELECT indexrelname, idx_blks_read + idx_blks_hit FROM pg_statio_user_indexes`,
    );
    const row = rows[0]!;
    return {
      walBytes: Number(row.walBytes),
      walFullPages: Number(row.walFullPages),
      blocksRead: Number(row.blocksRead),
      blocksHit: Number(row.blocksHit),
      blocksByRelation: Object.fromEntries(relations.rows.map((one) => [one.name, Number(one.blocks)])),
    };
  } finally {
    await client.end();
  }
}

export function activityBetween(before: PgActivity, after: PgActivity): PgActivity {
  return {
    walBytes: after.walBytes - before.walBytes,
    walFullPages: after.walFullPages - before.walFullPages,
    blocksRead: after.blocksRead - before.blocksRead,
    blocksHit: after.blocksHit - before.blocksHit,
    blocksByRelation: Object.fromEntries(
      Object.entries(after.blocksByRelation).map(([name, blocks]) => [
        name,
        blocks - (before.blocksByRelation[name] ?? 0),
      ]),
    ),
  };
}

/** The four tables or indexes whose pages were read or hit most. */
function busiest(activity: PgActivity): [string, number][] {
  return Object.entries(activity.blocksByRelation)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4);
}

/** One phase's activity per 1,000 deliveries, as a line for the bench's progress output. */
export function describeActivity(phase: string, activity: PgActivity, deliveries: number): string {
  const per = (value: number) => (value * 1000) / deliveries;
  return (
    `  ${phase}: per 1,000 deliveries ${(per(activity.walBytes) / 1_048_576).toFixed(2)} MB of WAL, ` +
    `${per(activity.walFullPages).toFixed(0)} full-page images, ${per(activity.blocksRead).toFixed(0)} pages read ` +
    `(${per(activity.blocksHit).toFixed(0)} hit); most pages: ${busiest(activity)
      .map(([name, blocks]) => `${name} ${per(blocks).toFixed(0)}`)
      .join(', ')}`
  );
}
