// `hookd publish TYPE --data JSON`: publish an event to a running hookd through @hookd/client.
import { dataOf } from '@hookd/client';
import { ConfigError } from '../config/load-config.js';
import { expectPositionals, parseApiCommandLine, printJson } from './api-options.js';
import { jsonFlag } from './json-input.js';

export const PUBLISH_USAGE =
  'hookd publish TYPE [--data JSON] [--id ID] [--idempotency-key KEY] [--url URL] [--api-key KEY] [--json]';

export async function publishCommand(argv: string[], env: NodeJS.ProcessEnv, helpText: () => string): Promise<void> {
  const line = parseApiCommandLine(argv, env, {
    data: { type: 'string' },
    id: { type: 'string' },
    'idempotency-key': { type: 'string' },
  });
  if (line === 'help') return void process.stdout.write(helpText());
  const [type] = expectPositionals(line.positionals, 1, PUBLISH_USAGE) as [string];
  const { data: dataText, id, 'idempotency-key': idempotencyKey } = line.values as Record<string, string | undefined>;
  if (id !== undefined && id.trim() === '') throw new ConfigError('--id: must not be empty');
  if (idempotencyKey !== undefined && idempotencyKey.trim() === '')
    throw new ConfigError('--idempotency-key: must not be empty');
  // Without --data the event carries an empty object, so `hookd publish ping` is enough to try a webhook.
  const data = dataText === undefined ? {} : await jsonFlag('data', dataText);

  const published = await dataOf(
    line.client.POST('/api/v1/events', {
      body: { type, data, ...(id !== undefined ? { id } : {}) },
      params: { header: idempotencyKey !== undefined ? { 'idempotency-key': idempotencyKey } : {} },
    }),
  );
  if (line.json) return printJson(published);
  const to = published.deliveries === 1 ? '1 webhook' : `${published.deliveries} webhooks`;
  process.stdout.write(`published ${published.type} ${published.id} to ${to}\n`);
}
