// The retention scenario's figures beyond the drains' rates: how the database grew over a drain after a prune, and
// (PostgreSQL) what the server did over each kind of drain.
import type { DatabaseState } from './old-deliveries.js';
import type { PgActivity } from './pg-activity.js';
import type { Context, Figure } from './scenarios.js';

export interface Drain {
  rate: number;
  deliveries: number;
  /** PostgreSQL: what the server did over the drain. */
  activity: PgActivity | undefined;
}

export const mb = (bytes: number) => bytes / 1_048_576;

/** Bytes the tables (or the indexes) grew by from `before` to `after` (PostgreSQL). */
function grownBy(before: DatabaseState, after: DatabaseState, kind: 'table' | 'index'): number {
  return Object.entries(after.relations)
    .filter(([, relation]) => relation.kind === kind)
    .reduce((sum, [name, relation]) => sum + relation.bytes - (before.relations[name]?.bytes ?? 0), 0);
}

/** Says which tables and indexes grew most, for whoever looks into a growth the figures show. */
export function reportGrowth(ctx: Context, before: DatabaseState, after: DatabaseState): void {
  const grown = Object.entries(after.relations)
    .map(([name, { bytes }]) => ({ name, grew: mb(bytes - (before.relations[name]?.bytes ?? 0)) }))
    .filter((one) => one.grew > 0)
    .sort((a, b) => b.grew - a.grew);
  for (const { name, grew } of grown.slice(0, 8)) ctx.progress(`  grew: ${name} +${grew.toFixed(2)} MB`);
}

/** The database's growth over a drain after a prune and its VACUUM; on PostgreSQL split into tables and indexes. */
export function growthFigures(
  label: string,
  pruned: DatabaseState,
  drained: DatabaseState,
  options: { postgres: boolean; indexTarget: boolean },
): Figure[] {
  const total: Figure = {
    scenario: 'retention',
    metric: `growth, drain ${label}`,
    value: mb(drained.bytes - pruned.bytes),
    unit: 'MB',
  };
  if (!options.postgres)
    return [
      { ...total, target: { op: '<=', value: 0 } },
      // SQLite takes a page from its freelist before it grows the file: some must be left.
      { scenario: 'retention', metric: `  free pages, ${label}`, value: mb(drained.freeBytes), unit: 'MB' },
    ];
  return [
    total,
    {
      scenario: 'retention',
      metric: `  tables, ${label}`,
      value: mb(grownBy(pruned, drained, 'table')),
      unit: 'MB',
      // Not 0: the drain's hour adds rows of hourly counts (a page or so), which no prune frees.
      target: { op: '<=', value: 0.1 },
    },
    {
      scenario: 'retention',
      metric: `  indexes, ${label}`,
      value: mb(grownBy(pruned, drained, 'index')),
      unit: 'MB',
      // After the first prune a B-tree cannot yet reuse the pages its VACUUM deleted (they must outlive every
      // transaction then running, which only the next VACUUM checks); after the second it can.
      ...(options.indexTarget ? { target: { op: '<=' as const, value: 0.1 } } : {}),
    },
  ];
}

/** PostgreSQL: WAL and reads per 1,000 deliveries for each kind of drain, to explain their rates. */
export function activityFigures(phases: [string, Drain[]][]): Figure[] {
  return phases.flatMap(([label, drains]) => {
    const activities = drains.map((drain) => drain.activity).filter((one): one is PgActivity => one !== undefined);
    if (activities.length === 0) return [];
    const deliveries = drains.reduce((sum, drain) => sum + drain.deliveries, 0);
    const sum = (name: Exclude<keyof PgActivity, 'blocksByRelation'>) =>
      activities.reduce((total, one) => total + one[name], 0);
    return [
      {
        scenario: 'retention',
        metric: `WAL/1,000 deliveries, ${label}`,
        value: mb((sum('walBytes') * 1000) / deliveries),
        unit: 'MB',
      },
      {
        scenario: 'retention',
        metric: `page images/1,000, ${label}`,
        value: (sum('walFullPages') * 1000) / deliveries,
        unit: '',
      },
      {
        scenario: 'retention',
        metric: `blocks read/1,000, ${label}`,
        value: (sum('blocksRead') * 1000) / deliveries,
        unit: '',
      },
    ];
  });
}
