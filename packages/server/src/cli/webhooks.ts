// `hookd webhooks list|create|delete` (and the actions on one webhook, in webhook-actions.ts) through @hookd/client.
import { dataOf, type CreateWebhookBody, type Webhook } from '@hookd/client';
import { ConfigError } from '../config/load-config.js';
import {
  expectPositionals,
  runApiSubcommand,
  printJson,
  type ApiCommandLine,
  type ApiSubcommand,
} from './api-options.js';
import { listSubcommand } from './list-pages.js';
import { WEBHOOK_ACTIONS } from './webhook-actions.js';
import { FIELD_OPTIONS, webhookFields } from './webhook-flags.js';
import { tableOf } from './table.js';

export const WEBHOOKS_USAGE =
  'hookd webhooks list|create ENDPOINT_URL|get ID|update ID|pause ID|resume ID|rotate-secret ID|test ID|delete ID [options]';

const CREATE_OPTIONS = {
  ...FIELD_OPTIONS,
  secret: { type: 'string' },
  inactive: { type: 'boolean' },
  verify: { type: 'boolean' },
} as const;

const describeWebhooks = tableOf<Webhook>('no webhooks', ['ID', 'STATUS', 'EVENTS', 'URL'], (webhook) => [
  webhook.id,
  webhook.active ? webhook.status : 'paused',
  webhook.events.join(','),
  webhook.url,
]);

async function create(line: ApiCommandLine): Promise<void> {
  const usage = 'hookd webhooks create ENDPOINT_URL [--events a,b] [--description D] [--data JSON|@file|-] [...]';
  // A likely slip: --url names the hookd server for every command, not the new webhook's endpoint.
  if (line.positionals.length === 1 && typeof line.values.url === 'string')
    throw new ConfigError(
      `the webhook's URL is the argument after "create" (--url is the hookd server); usage: ${usage}`,
    );
  const [, url] = expectPositionals(line.positionals, 2, usage) as [string, string];
  const body: CreateWebhookBody = { ...(await webhookFields(line.values)), url };
  if (typeof line.values.secret === 'string') body.secret = line.values.secret;
  if (line.values.inactive === true) body.active = false;
  if (line.values.verify === true) body.verify = true;
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
  list: listSubcommand({
    usage: 'hookd webhooks list [--limit N] [--cursor C]',
    fetchPage: (line, query) => dataOf(line.client.GET('/api/v1/webhooks', { params: { query } })),
    describe: describeWebhooks,
  }),
  create: { options: CREATE_OPTIONS, run: create },
  delete: { options: {}, run: remove },
  ...WEBHOOK_ACTIONS,
} satisfies Record<string, ApiSubcommand>;

export async function webhooksCommand(argv: string[], env: NodeJS.ProcessEnv, helpText: () => string): Promise<void> {
  return runApiSubcommand('webhooks', WEBHOOKS_USAGE, SUBCOMMANDS, argv, env, helpText);
}
