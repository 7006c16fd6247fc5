// Command-line options of `npm run bench`: which scenarios, how big, which store.
import { parseArgs } from 'node:util';

export const SCENARIOS = [
  'ceiling',
  'drain',
  'end-to-end',
  'latency',
  'backlog',
  'isolation',
  'scale-out',
  'retention',
  'dashboard',
  'stats',
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface BenchOptions {
  scenarios: ScenarioName[];
  quick: boolean;
  store: 'sqlite' | 'postgres';
  /** The PostgreSQL server's maintenance database, where each run's fresh database is made (--store postgres). */
  postgresUrl: string;
  /** More command-line options for every hookd started, e.g. ["--concurrency", "512"], to compare settings. */
  hookdArgs: string[];
  /** Where hookd writes a CPU profile (node --cpu-prof) of each scenario it runs; undefined: no profile. */
  profileDir: string | undefined;
  sizes: {
    ceiling: number;
    drainEvents: number;
    endToEndEvents: number;
    /** Published and delivered the same way first, not measured. */
    endToEndWarmUpEvents: number;
    /** `warmUpSeconds` at the same rate come first and are not measured. */
    latency: { perSecond: number; seconds: number; warmUpSeconds: number };
    backlogEvents: number;
    backlogOutageMs: number;
    /** As latency's: `warmUpSeconds` at the same rate come first and are not measured. */
    isolation: { perSecond: number; seconds: number; warmUpSeconds: number };
    /** Events (× 10 webhooks) drained by 1, then 2, `hookd worker` processes (PostgreSQL only). */
    scaleOutEvents: number;
    /** Old finished deliveries (10 an event) loaded before the retention scenario's drains. */
    retentionOldDeliveries: number;
    /** Drains with the pruner deleting them, and as many without, taken by turns (medians compared). */
    retentionTurns: number;
    /** Deliveries bulk-loaded before the dashboard pages' API calls are timed (issue #17: 100,000). */
    dashboardDeliveries: number;
    /** Deliveries bulk-loaded before GET /stats is timed (issue #17: a million). */
    statsDeliveries: number;
  };
}

const FULL: BenchOptions['sizes'] = {
  ceiling: 50_000,
  drainEvents: 5_000,
  endToEndEvents: 20_000,
  endToEndWarmUpEvents: 10_000,
  latency: { perSecond: 500, seconds: 20, warmUpSeconds: 3 },
  backlogEvents: 100_000,
  backlogOutageMs: 5_000,
  isolation: { perSecond: 50, seconds: 10, warmUpSeconds: 2 },
  scaleOutEvents: 5_000,
  retentionOldDeliveries: 1_000_000,
  // A single drain's rate varied by a third between quiet runs (PostgreSQL, 2,257-3,412/s): three of each.
  retentionTurns: 3,
  dashboardDeliveries: 100_000,
  statsDeliveries: 1_000_000,
};

// Under a minute in all: a smoke test for CI, with no thresholds.
const QUICK: BenchOptions['sizes'] = {
  ceiling: 5_000,
  drainEvents: 500,
  endToEndEvents: 1_000,
  endToEndWarmUpEvents: 500,
  latency: { perSecond: 200, seconds: 3, warmUpSeconds: 1 },
  backlogEvents: 1_000,
  backlogOutageMs: 1_000,
  isolation: { perSecond: 20, seconds: 3, warmUpSeconds: 1 },
  scaleOutEvents: 500,
  retentionOldDeliveries: 20_000,
  retentionTurns: 1,
  dashboardDeliveries: 2_000,
  statsDeliveries: 5_000,
};

export const USAGE = `npm run bench -- [--quick] [--only ${SCENARIOS.join(',')}] [--store sqlite|postgres] [--postgres-url URL] [--backlog-events N] [--drain-events N] [--end-to-end-events N] [--retention-old-deliveries N] [--dashboard-deliveries N] [--stats-deliveries N] [--profile DIR] [--hookd-args "--concurrency 512 …"]`;

export function parseBenchOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean' },
      only: { type: 'string' },
      store: { type: 'string' },
      'postgres-url': { type: 'string' },
      'backlog-events': { type: 'string' },
      'drain-events': { type: 'string' },
      'end-to-end-events': { type: 'string' },
      'retention-old-deliveries': { type: 'string' },
      'dashboard-deliveries': { type: 'string' },
      'stats-deliveries': { type: 'string' },
      profile: { type: 'string' },
      'hookd-args': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (values.store !== undefined && values.store !== 'sqlite' && values.store !== 'postgres')
    throw new Error(`--store: "${values.store}" is not sqlite or postgres`);
  const store = values.store ?? 'sqlite';
  // Several worker processes need a database they can share: scale-out runs on PostgreSQL only.
  const scenarios = values.only
    ? values.only.split(',')
    : SCENARIOS.filter((name) => name !== 'scale-out' || store === 'postgres');
  for (const name of scenarios)
    if (!(SCENARIOS as readonly string[]).includes(name))
      throw new Error(`--only: unknown scenario "${name}"; ${USAGE}`);
  if (scenarios.includes('scale-out') && store !== 'postgres')
    throw new Error('--only scale-out: needs --store postgres (SQLite serves one delivering process)');
  const sizes = { ...(values.quick ? QUICK : FULL) };
  const count = (text: string | undefined, name: string) => {
    if (text === undefined) return undefined;
    if (!/^\d+$/.test(text) || Number(text) === 0) throw new Error(`--${name}: must be a positive whole number`);
    return Number(text);
  };
  sizes.backlogEvents = count(values['backlog-events'], 'backlog-events') ?? sizes.backlogEvents;
  sizes.drainEvents = count(values['drain-events'], 'drain-events') ?? sizes.drainEvents;
  sizes.retentionOldDeliveries =
    count(values['retention-old-deliveries'], 'retention-old-deliveries') ?? sizes.retentionOldDeliveries;
  sizes.dashboardDeliveries =
    count(values['dashboard-deliveries'], 'dashboard-deliveries') ?? sizes.dashboardDeliveries;
  sizes.statsDeliveries = count(values['stats-deliveries'], 'stats-deliveries') ?? sizes.statsDeliveries;
  sizes.endToEndEvents = count(values['end-to-end-events'], 'end-to-end-events') ?? sizes.endToEndEvents;
  const postgresUrl = values['postgres-url'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const hookdArgs = (values['hookd-args'] ?? '').split(' ').filter(Boolean);
  return {
    scenarios: scenarios as ScenarioName[],
    quick: values.quick ?? false,
    store,
    postgresUrl,
    profileDir: values.profile,
    hookdArgs,
    sizes,
  };
}
