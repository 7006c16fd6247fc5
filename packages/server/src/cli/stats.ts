// `hookd stats [--webhook ID]`: attempts by outcome per webhook, this hour and over the last 24 hours, as a table.
import { dataOf } from '@hookd/client';
import { ConfigError } from '../config/load-config.js';
import { expectPositionals, parseApiCommandLine, printJson } from './api-options.js';
import { table } from './table.js';

export const STATS_USAGE = 'hookd stats [--webhook ID] [--url URL] [--api-key KEY] [--json]';

interface Totals {
  succeeded: number;
  failed: number;
  successRate: number | null;
}

const rate = (totals: Totals) => (totals.successRate === null ? '-' : `${(totals.successRate * 100).toFixed(1)}%`);

export async function statsCommand(argv: string[], env: NodeJS.ProcessEnv, helpText: () => string): Promise<void> {
  const line = parseApiCommandLine(argv, env, { webhook: { type: 'string' } });
  if (line === 'help') return void process.stdout.write(helpText());
  expectPositionals(line.positionals, 0, STATS_USAGE);
  const webhookId = line.values.webhook as string | undefined;
  if (webhookId !== undefined && webhookId.trim() === '') throw new ConfigError('--webhook: must not be empty');
  const stats = await dataOf(line.client.GET('/api/v1/stats', { params: { query: { webhookId } } }));
  if (line.json) return printJson(stats);
  if (stats.data.length === 0) return void process.stdout.write('no webhooks\n');
  const rows = stats.data.map((one) => [
    one.webhookId,
    String(one.lastHour.succeeded),
    String(one.lastHour.failed),
    rate(one.lastHour),
    String(one.lastDay.succeeded),
    String(one.lastDay.failed),
    rate(one.lastDay),
  ]);
  process.stdout.write(
    table(['WEBHOOK', 'HOUR OK', 'HOUR FAILED', 'HOUR RATE', '24H OK', '24H FAILED', '24H RATE'], rows),
  );
}
