// Command-line options of `npm run bench`: which scenarios, how big, which store.
import { parseArgs } from 'node:util';

export const SCENARIOS = ['ceiling', 'drain', 'end-to-end', 'latency', 'backlog', 'isolation'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface BenchOptions {
  scenarios: ScenarioName[];
  quick: boolean;
  store: 'sqlite';
  /** Where hookd writes a CPU profile (node --cpu-prof) of each scenario it runs; undefined: no profile. */
  profileDir: string | undefined;
  sizes: {
    ceiling: number;
    drainEvents: number;
    endToEndEvents: number;
    latency: { perSecond: number; seconds: number };
    backlogEvents: number;
    backlogOutageMs: number;
    isolation: { perSecond: number; seconds: number };
  };
}

const FULL: BenchOptions['sizes'] = {
  ceiling: 50_000,
  drainEvents: 5_000,
  endToEndEvents: 20_000,
  latency: { perSecond: 500, seconds: 20 },
  backlogEvents: 100_000,
  backlogOutageMs: 5_000,
  isolation: { perSecond: 50, seconds: 10 },
};

// Under a minute in all: a smoke test for CI, with no thresholds.
const QUICK: BenchOptions['sizes'] = {
  ceiling: 5_000,
  drainEvents: 500,
  endToEndEvents: 1_000,
  latency: { perSecond: 200, seconds: 3 },
  backlogEvents: 1_000,
  backlogOutageMs: 1_000,
  isolation: { perSecond: 20, seconds: 3 },
};

export const USAGE = `npm run bench -- [--quick] [--only ${SCENARIOS.join(',')}] [--store sqlite] [--backlog-events N] [--drain-events N] [--end-to-end-events N] [--profile DIR]`;

export function parseBenchOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean' },
      only: { type: 'string' },
      store: { type: 'string' },
      'backlog-events': { type: 'string' },
      'drain-events': { type: 'string' },
      'end-to-end-events': { type: 'string' },
      profile: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const scenarios = values.only ? values.only.split(',') : [...SCENARIOS];
  for (const name of scenarios) if (!(SCENARIOS as readonly string[]).includes(name)) throw new Error(`--only: unknown scenario "${name}"; ${USAGE}`);
  if (values.store !== undefined && values.store !== 'sqlite') throw new Error(`--store: "${values.store}" is not available yet; only sqlite`);
  const sizes = { ...(values.quick ? QUICK : FULL) };
  const count = (text: string | undefined, name: string) => {
    if (text === undefined) return undefined;
    if (!/^\d+$/.test(text) || Number(text) === 0) throw new Error(`--${name}: must be a positive whole number`);
    return Number(text);
  };
  sizes.backlogEvents = count(values['backlog-events'], 'backlog-events') ?? sizes.backlogEvents;
  sizes.drainEvents = count(values['drain-events'], 'drain-events') ?? sizes.drainEvents;
  sizes.endToEndEvents = count(values['end-to-end-events'], 'end-to-end-events') ?? sizes.endToEndEvents;
  return { scenarios: scenarios as ScenarioName[], quick: values.quick ?? false, store: 'sqlite', profileDir: values.profile, sizes };
}
