// `npm run bench`: runs the scenarios against a real `hookd serve`, prints a table with every throughput as a share
// of the ceiling measured in the same run, and writes bench/results/latest.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dashboard, stats } from './dashboard.js';
import { isolation } from './isolation.js';
import { parseBenchOptions, type BenchOptions } from './options.js';
import { HookdProcess, LoadGenerator, Receiver } from './processes.js';
import { retention } from './retention.js';
import { scaleOut } from './scale-out.js';
import { stealMeter } from './steal.js';
import * as scenarios from './scenarios.js';
import type { Context, Figure } from './scenarios.js';

function verdict(figure: Figure, ceiling: number | undefined): string {
  const target = figure.target;
  if (!target) return '';
  const goal = target.ofCeiling ? (ceiling === undefined ? NaN : target.value * ceiling) : target.value;
  if (Number.isNaN(goal)) return `target ${target.op} ${target.value} of ceiling (no ceiling run)`;
  const met = target.op === '>=' ? figure.value >= goal : figure.value <= goal;
  return `${met ? 'met' : 'MISSED'} (target ${target.op} ${target.ofCeiling ? `${target.value * 100}% of ceiling` : target.value})`;
}

function format(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2);
}

/** The table of figures, each throughput also as a share of the ceiling, with its verdict against the target. */
/** A figure as printed and written: with its share of the ceiling and its verdict. */
interface Row extends Figure {
  shareOfCeiling: number | undefined;
  verdict: string;
}

function printTable(rows: Row[], options: BenchOptions): void {
  console.log(
    `\nhookd bench (${options.quick ? 'quick' : 'full'}, ${options.store}, ${cpus().length} cores; one machine shared by hookd, receiver and load)\n`,
  );
  console.log(
    ['scenario'.padEnd(12), 'metric'.padEnd(34), 'value'.padStart(12), 'of ceiling'.padStart(11), '  verdict'].join(
      ' ',
    ),
  );
  for (const row of rows) {
    console.log(
      [
        row.scenario.padEnd(12),
        row.metric.padEnd(34),
        `${format(row.value)} ${row.unit}`.padStart(12),
        (row.shareOfCeiling === undefined ? '' : `${(row.shareOfCeiling * 100).toFixed(0)}%`).padStart(11),
        ` ${row.verdict}`,
      ].join(' '),
    );
  }
}

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2));
  if (options.profileDir) HookdProcess.nodeArgs = ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`];
  HookdProcess.options = options;
  const receiver = await Receiver.start();
  const load = await LoadGenerator.start();
  const ctx: Context = { options, receiver, load, progress: (line) => process.stderr.write(`${line}\n`) };
  const figures: Figure[] = [];
  try {
    for (const name of options.scenarios) {
      const started = Date.now();
      const stolen = stealMeter();
      const result =
        name === 'ceiling'
          ? await scenarios.ceiling(ctx)
          : name === 'drain'
            ? await scenarios.drain(ctx)
            : name === 'end-to-end'
              ? await scenarios.endToEnd(ctx)
              : name === 'latency'
                ? await scenarios.latency(ctx)
                : name === 'backlog'
                  ? await scenarios.backlog(ctx, scenarios.smallQueueBaseline(figures))
                  : name === 'scale-out'
                    ? await scaleOut(ctx)
                    : name === 'retention'
                      ? await retention(ctx)
                      : name === 'dashboard'
                        ? await dashboard(ctx)
                        : name === 'stats'
                          ? await stats(ctx)
                          : await isolation(ctx);
      figures.push(...result, { scenario: name, metric: 'CPU stolen by the host', value: stolen(), unit: '%' });
      ctx.progress(`  ${name} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  } finally {
    receiver.stop();
    load.stop();
  }

  const ceiling = figures.find((figure) => figure.scenario === 'ceiling')?.value;
  const rows: Row[] = figures.map((figure) => ({
    ...figure,
    shareOfCeiling: figure.ofCeiling && ceiling ? figure.value / ceiling : undefined,
    verdict: options.quick ? '' : verdict(figure, ceiling),
  }));
  printTable(rows, options);
  const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(
    `${resultsDir}latest.json`,
    JSON.stringify({ at: new Date().toISOString(), options, ceiling, figures: rows }, null, 2) + '\n',
  );
  console.log(`\nwritten to bench/results/latest.json`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
