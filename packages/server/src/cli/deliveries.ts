// `hookd deliveries list --webhook ID | retry ID`: read a webhook's delivery log and redeliver, through @hookd/client.
import { dataOf, paginate, type Delivery } from '@hookd/client';
import { ConfigError } from '../config/load-config.js';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../domain/delivery.js';
import {
  expectPositionals,
  runApiSubcommand,
  printJson,
  wholeNumberFlag,
  type ApiCommandLine,
  type ApiSubcommand,
} from './api-options.js';
import { table } from './table.js';

export const DELIVERIES_USAGE = 'hookd deliveries list --webhook ID [--status S] [--event TYPE] | retry DELIVERY_ID';

const LIST_OPTIONS = {
  webhook: { type: 'string' },
  status: { type: 'string' },
  event: { type: 'string' },
  limit: { type: 'string' },
  cursor: { type: 'string' },
} as const;

/** What the last attempt got: its status code, its error, or nothing yet. */
function outcome(delivery: Delivery): string {
  if (delivery.responseStatus !== null) return String(delivery.responseStatus);
  return delivery.lastError ?? '-';
}

function describeDeliveries(deliveries: Delivery[]): string {
  if (deliveries.length === 0) return 'no deliveries\n';
  const rows = deliveries.map((delivery) => [
    delivery.id,
    delivery.status,
    delivery.event,
    String(delivery.attempts),
    delivery.createdAt,
    outcome(delivery),
  ]);
  return table(['ID', 'STATUS', 'EVENT', 'ATTEMPTS', 'CREATED', 'LAST RESPONSE'], rows);
}

async function list(line: ApiCommandLine): Promise<void> {
  const usage =
    'hookd deliveries list --webhook ID [--status pending|success|failed] [--event TYPE] [--limit N] [--cursor C]';
  expectPositionals(line.positionals, 1, usage);
  const webhookId = line.values.webhook as string | undefined;
  if (webhookId === undefined || webhookId.trim() === '') throw new ConfigError(`--webhook: required; usage: ${usage}`);
  const status = line.values.status as string | undefined;
  if (status !== undefined && !(DELIVERY_STATUSES as readonly string[]).includes(status))
    throw new ConfigError(`--status: must be one of ${DELIVERY_STATUSES.join(', ')} (got "${status}")`);
  const event = line.values.event as string | undefined;
  const limit = wholeNumberFlag('limit', line.values.limit as string | undefined, 1, 100);
  const cursor = line.values.cursor as string | undefined;
  const page = (query: { limit?: number; cursor?: string }) =>
    dataOf(
      line.client.GET('/api/v1/webhooks/{id}/deliveries', {
        params: { path: { id: webhookId }, query: { ...query, status: status as DeliveryStatus | undefined, event } },
      }),
    );

  // --limit or --cursor asks for one page, as the API answers it; otherwise every page, followed here.
  if (limit !== undefined || cursor !== undefined) {
    const one = await page({ limit, cursor });
    if (line.json) return printJson(one);
    process.stdout.write(describeDeliveries(one.data) + (one.nextCursor ? `more: --cursor ${one.nextCursor}\n` : ''));
    return;
  }
  const all: Delivery[] = [];
  for await (const delivery of paginate((next) => page({ limit: 100, cursor: next }))) all.push(delivery);
  if (line.json) return printJson({ data: all, nextCursor: null });
  process.stdout.write(describeDeliveries(all));
}

async function retry(line: ApiCommandLine): Promise<void> {
  const [, id] = expectPositionals(line.positionals, 2, 'hookd deliveries retry DELIVERY_ID') as [string, string];
  const delivery = await dataOf(
    line.client.POST('/api/v1/webhooks/deliveries/{id}/retry', { params: { path: { id } }, body: {} }),
  );
  if (line.json) return printJson(delivery);
  process.stdout.write(
    `retrying ${delivery.id} (${delivery.event} to ${delivery.webhookId}) now: ${delivery.status}\n`,
  );
}

const SUBCOMMANDS = {
  list: { options: LIST_OPTIONS, run: list },
  retry: { options: {}, run: retry },
} satisfies Record<string, ApiSubcommand>;

export async function deliveriesCommand(argv: string[], env: NodeJS.ProcessEnv, helpText: () => string): Promise<void> {
  return runApiSubcommand('deliveries', DELIVERIES_USAGE, SUBCOMMANDS, argv, env, helpText);
}
