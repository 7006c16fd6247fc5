// `hookd webhooks list|create|delete`: manage the webhooks of a running hookd through @hookd/client.
import { dataOf, paginate, type CreateWebhookBody, type Webhook } from '@hookd/client';
import { ConfigError } from '../config/load-config.js';
import {
  expectPositionals,
  runApiSubcommand,
  jsonFlag,
  listFlag,
  printJson,
  wholeNumberFlag,
  type ApiCommandLine,
  type ApiSubcommand,
} from './api-options.js';
import { table } from './table.js';

export const WEBHOOKS_USAGE = 'hookd webhooks list|create ENDPOINT_URL|delete ID [options]';

const CREATE_OPTIONS = {
  events: { type: 'string', multiple: true },
  description: { type: 'string' },
  secret: { type: 'string' },
  scheme: { type: 'string' },
  'header-prefix': { type: 'string' },
  header: { type: 'string', multiple: true },
  'retry-schedule': { type: 'string' },
  'no-retry-on-4xx': { type: 'boolean' },
  timeout: { type: 'string' },
  'rate-limit': { type: 'string' },
  ordering: { type: 'string' },
  filter: { type: 'string' },
  inactive: { type: 'boolean' },
  verify: { type: 'boolean' },
} as const;
const LIST_OPTIONS = { limit: { type: 'string' }, cursor: { type: 'string' } } as const;

/** "Name: value" → [name, value]. */
function headerFlag(text: string): [string, string] {
  const colon = text.indexOf(':');
  const name = text.slice(0, colon).trim();
  if (colon <= 0 || name === '') throw new ConfigError(`--header: must be "Name: value" (got "${text}")`);
  return [name, text.slice(colon + 1).trim()];
}

/**
 * The create body from the flags: only what was given, so the server's defaults apply to the rest. Values are passed
 * as typed (a wrong --scheme or --timeout is the server's 400, naming the field, like any other client would get).
 */
function createBody(url: string, values: ApiCommandLine['values']): CreateWebhookBody {
  const text = (name: string) => values[name] as string | undefined;
  const body: CreateWebhookBody = { url };
  body.events = listFlag(values.events);
  body.description = text('description');
  body.secret = text('secret');
  const scheme = text('scheme') as NonNullable<CreateWebhookBody['signature']>['scheme'];
  const headerPrefix = text('header-prefix');
  if (scheme !== undefined || headerPrefix !== undefined) body.signature = { scheme, headerPrefix };
  const headers = ((values.header as string[] | undefined) ?? []).map(headerFlag);
  if (headers.length > 0) body.headers = Object.fromEntries(headers);
  const schedule = listFlag(values['retry-schedule']);
  if (schedule !== undefined || values['no-retry-on-4xx'] === true)
    body.retry = { schedule, retryOn4xx: values['no-retry-on-4xx'] === true ? false : undefined };
  body.timeout = text('timeout');
  body.rateLimit = wholeNumberFlag('rate-limit', text('rate-limit'), 1, 100_000);
  body.ordering = text('ordering') as CreateWebhookBody['ordering'];
  const filter = text('filter');
  if (filter !== undefined) body.filter = jsonFlag('filter', filter) as CreateWebhookBody['filter'];
  if (values.inactive === true) body.active = false;
  if (values.verify === true) body.verify = true;
  // JSON.stringify leaves out the fields still undefined.
  return body;
}

function describeWebhooks(webhooks: Webhook[]): string {
  if (webhooks.length === 0) return 'no webhooks\n';
  const rows = webhooks.map((webhook) => [
    webhook.id,
    webhook.active ? webhook.status : 'paused',
    webhook.events.join(','),
    webhook.url,
  ]);
  return table(['ID', 'STATUS', 'EVENTS', 'URL'], rows);
}

async function list(line: ApiCommandLine): Promise<void> {
  expectPositionals(line.positionals, 1, 'hookd webhooks list [--limit N] [--cursor C]');
  const limit = wholeNumberFlag('limit', line.values.limit as string | undefined, 1, 100);
  const cursor = line.values.cursor as string | undefined;
  // --limit or --cursor asks for one page, as the API answers it; otherwise every page, followed here.
  if (limit !== undefined || cursor !== undefined) {
    const page = await dataOf(line.client.GET('/api/v1/webhooks', { params: { query: { limit, cursor } } }));
    if (line.json) return printJson(page);
    process.stdout.write(describeWebhooks(page.data) + (page.nextCursor ? `more: --cursor ${page.nextCursor}\n` : ''));
    return;
  }
  const all: Webhook[] = [];
  for await (const webhook of paginate((next) =>
    dataOf(line.client.GET('/api/v1/webhooks', { params: { query: { limit: 100, cursor: next } } })),
  ))
    all.push(webhook);
  if (line.json) return printJson({ data: all, nextCursor: null });
  process.stdout.write(describeWebhooks(all));
}

async function create(line: ApiCommandLine): Promise<void> {
  const usage = 'hookd webhooks create ENDPOINT_URL [--events a,b] [--description D] [...]';
  // A likely slip: --url names the hookd server for every command, not the new webhook's endpoint.
  if (line.positionals.length === 1 && typeof line.values.url === 'string')
    throw new ConfigError(
      `the webhook's URL is the argument after "create" (--url is the hookd server); usage: ${usage}`,
    );
  const [, url] = expectPositionals(line.positionals, 2, usage) as [string, string];
  const body = createBody(url, line.values);
  const webhook = await dataOf(line.client.POST('/api/v1/webhooks', { body }));
  if (line.json) return printJson(webhook);
  process.stdout.write(
    `created ${webhook.id}  ${webhook.url}  events: ${webhook.events.join(',')}  scheme: ${webhook.signature.scheme}\n`,
  );
  if (webhook.secret !== undefined) process.stdout.write(`signing secret (shown only now):\n  ${webhook.secret}\n`);
}

async function remove(line: ApiCommandLine): Promise<void> {
  const [, id] = expectPositionals(line.positionals, 2, 'hookd webhooks delete ID') as [string, string];
  await dataOf(line.client.DELETE('/api/v1/webhooks/{id}', { params: { path: { id } } }));
  if (line.json) return printJson({ id, deleted: true });
  process.stdout.write(`deleted ${id}\n`);
}

const SUBCOMMANDS = {
  list: { options: LIST_OPTIONS, run: list },
  create: { options: CREATE_OPTIONS, run: create },
  delete: { options: {}, run: remove },
} satisfies Record<string, ApiSubcommand>;

export async function webhooksCommand(argv: string[], env: NodeJS.ProcessEnv, helpText: () => string): Promise<void> {
  return runApiSubcommand('webhooks', WEBHOOKS_USAGE, SUBCOMMANDS, argv, env, helpText);
}
