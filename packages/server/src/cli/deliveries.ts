// `hookd deliveries list|get|attempts|retry|redeliver-failed`: read the delivery log and redeliver, through @hookd/client.
import { dataOf } from '@hookd/client';
import { ConfigError } from '../config/load-config.js';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../domain/delivery.js';
import {
  expectPositionals,
  runApiSubcommand,
  printJson,
  type ApiCommandLine,
  type ApiSubcommand,
} from './api-options.js';
import { describeAttempts, describeDeliveries, describeDelivery } from './delivery-views.js';
import { PAGE_OPTIONS, printList } from './list-pages.js';

export const DELIVERIES_USAGE =
  'hookd deliveries list --webhook ID [--status S] [--event TYPE] | get ID | attempts ID | retry ID | redeliver-failed --webhook ID [--since ISO]';

const LIST_OPTIONS = {
  ...PAGE_OPTIONS,
  webhook: { type: 'string' },
  status: { type: 'string' },
  event: { type: 'string' },
} as const;

/** --webhook, which list and redeliver-failed need. */
function requiredWebhook(line: ApiCommandLine, usage: string): string {
  const webhookId = line.values.webhook as string | undefined;
  if (webhookId === undefined || webhookId.trim() === '') throw new ConfigError(`--webhook: required; usage: ${usage}`);
  return webhookId;
}

async function list(line: ApiCommandLine): Promise<void> {
  const usage =
    'hookd deliveries list --webhook ID [--status pending|success|failed] [--event TYPE] [--limit N] [--cursor C]';
  expectPositionals(line.positionals, 1, usage);
  const webhookId = requiredWebhook(line, usage);
  const status = line.values.status as string | undefined;
  if (status !== undefined && !(DELIVERY_STATUSES as readonly string[]).includes(status))
    throw new ConfigError(`--status: must be one of ${DELIVERY_STATUSES.join(', ')} (got "${status}")`);
  const event = line.values.event as string | undefined;
  await printList(
    line,
    (query) =>
      dataOf(
        line.client.GET('/api/v1/webhooks/{id}/deliveries', {
          params: { path: { id: webhookId }, query: { ...query, status: status as DeliveryStatus | undefined, event } },
        }),
      ),
    describeDeliveries,
  );
}

/** The one delivery ID after the subcommand's name. */
function deliveryId(line: ApiCommandLine, usage: string): string {
  return (expectPositionals(line.positionals, 2, usage) as [string, string])[1];
}

async function get(line: ApiCommandLine): Promise<void> {
  const id = deliveryId(line, 'hookd deliveries get DELIVERY_ID');
  const delivery = await dataOf(line.client.GET('/api/v1/deliveries/{id}', { params: { path: { id } } }));
  if (line.json) return printJson(delivery);
  process.stdout.write(describeDelivery(delivery));
}

async function attempts(line: ApiCommandLine): Promise<void> {
  const id = deliveryId(line, 'hookd deliveries attempts DELIVERY_ID [--limit N] [--cursor C]');
  await printList(
    line,
    (query) => dataOf(line.client.GET('/api/v1/deliveries/{id}/attempts', { params: { path: { id }, query } })),
    (list) => describeAttempts(list) + (list.length > 0 ? 'request and response headers and bodies: --json\n' : ''),
  );
}

async function retry(line: ApiCommandLine): Promise<void> {
  const id = deliveryId(line, 'hookd deliveries retry DELIVERY_ID');
  const delivery = await dataOf(
    line.client.POST('/api/v1/webhooks/deliveries/{id}/retry', { params: { path: { id } }, body: {} }),
  );
  if (line.json) return printJson(delivery);
  process.stdout.write(
    `retrying ${delivery.id} (${delivery.event} to ${delivery.webhookId}) now: ${delivery.status}\n`,
  );
}

async function redeliverFailed(line: ApiCommandLine): Promise<void> {
  const usage = 'hookd deliveries redeliver-failed --webhook ID [--since 2026-01-31T00:00:00Z]';
  expectPositionals(line.positionals, 1, usage);
  const id = requiredWebhook(line, usage);
  const since = line.values.since as string | undefined;
  if (since !== undefined && Number.isNaN(Date.parse(since)))
    throw new ConfigError(`--since: must be a date and time such as 2026-01-31T00:00:00Z (got "${since}")`);
  const body = since === undefined ? {} : { since: new Date(since).toISOString() };
  const answer = await dataOf(line.client.POST('/api/v1/webhooks/{id}/redeliver', { params: { path: { id } }, body }));
  if (line.json) return printJson(answer);
  const what = answer.redelivered === 1 ? '1 failed delivery' : `${answer.redelivered} failed deliveries`;
  process.stdout.write(`redelivering ${what} of ${id}${since === undefined ? '' : ` created since ${since}`}\n`);
}

const SUBCOMMANDS = {
  list: { options: LIST_OPTIONS, run: list },
  get: { options: {}, run: get },
  attempts: { options: PAGE_OPTIONS, run: attempts },
  retry: { options: {}, run: retry },
  'redeliver-failed': { options: { webhook: { type: 'string' }, since: { type: 'string' } }, run: redeliverFailed },
} satisfies Record<string, ApiSubcommand>;

export async function deliveriesCommand(argv: string[], env: NodeJS.ProcessEnv, helpText: () => string): Promise<void> {
  return runApiSubcommand('deliveries', DELIVERIES_USAGE, SUBCOMMANDS, argv, env, helpText);
}
