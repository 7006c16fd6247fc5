// `hookd webhooks get|update|pause|resume|rotate-secret|test ID`: read or act on one webhook through @hookd/client.
import { dataOf, type Webhook } from '@hookd/client';
import { ConfigError } from '../config/load-config.js';
import { expectPositionals, printJson, type ApiCommandLine, type ApiSubcommand } from './api-options.js';
import { CommandFailed } from './command-failed.js';
import { attemptOutcome } from './delivery-views.js';
import { compactJson, fieldList } from './field-list.js';
import { FIELD_OPTIONS, webhookFields } from './webhook-flags.js';

function describeWebhook(webhook: Webhook): string {
  const headers = Object.entries(webhook.headers).map(([name, value]) => `${name}: ${value}`);
  const { scheme, headerPrefix } = webhook.signature;
  return fieldList([
    ['id', webhook.id],
    ['url', webhook.url],
    ['status', webhook.active ? webhook.status : `paused (${webhook.status})`],
    ['events', webhook.events.join(',')],
    ['description', webhook.description === '' ? undefined : webhook.description],
    // The header prefix names the headers of the timestamp-nonce and body schemes only.
    ['signature', ['standard', 'none'].includes(scheme) ? scheme : `${scheme}, headers ${headerPrefix}…`],
    ['retry', `${webhook.retry.schedule.join(',') || 'none'}${webhook.retry.retryOn4xx ? '' : ' (not on 4xx)'}`],
    ['timeout', webhook.timeout],
    ['rate limit', webhook.rateLimit === null ? 'none' : `${webhook.rateLimit}/s`],
    ['ordering', webhook.ordering],
    ['filter', webhook.filter === null ? undefined : compactJson(webhook.filter)],
    ['auto-disable', webhook.autoDisableAfter === null ? undefined : `after ${webhook.autoDisableAfter} failing`],
    ['failing since', webhook.failingSince ?? undefined],
    ['headers', headers.length === 0 ? undefined : headers.join('; ')],
    ['created', webhook.createdAt],
    ['updated', webhook.updatedAt],
  ]);
}

/** The one ID after the subcommand's name. */
function webhookId(line: ApiCommandLine, usage: string): string {
  return (expectPositionals(line.positionals, 2, usage) as [string, string])[1];
}

async function get(line: ApiCommandLine): Promise<void> {
  const id = webhookId(line, 'hookd webhooks get ID');
  const webhook = await dataOf(line.client.GET('/api/v1/webhooks/{id}', { params: { path: { id } } }));
  if (line.json) return printJson(webhook);
  process.stdout.write(describeWebhook(webhook));
}

async function update(line: ApiCommandLine): Promise<void> {
  const usage = 'hookd webhooks update ID [--endpoint URL] [--events a,b] [--data JSON|@file|-] [...]';
  const id = webhookId(line, usage);
  const body = await webhookFields(line.values);
  if (typeof line.values.endpoint === 'string') body.url = line.values.endpoint;
  if (Object.keys(body).length === 0)
    throw new ConfigError(`nothing to change: give a flag or --data; usage: ${usage}`);
  const webhook = await dataOf(line.client.PATCH('/api/v1/webhooks/{id}', { params: { path: { id } }, body }));
  if (line.json) return printJson(webhook);
  process.stdout.write(`updated ${webhook.id}\n${describeWebhook(webhook)}`);
  // A change from scheme "none" makes a secret, shown this once.
  if (webhook.secret !== undefined) process.stdout.write(`signing secret (shown only now):\n  ${webhook.secret}\n`);
}

/** pause and resume: `active` false keeps publishing into the log; true sends what was kept. */
function setActive(active: boolean) {
  return async (line: ApiCommandLine): Promise<void> => {
    const id = webhookId(line, `hookd webhooks ${active ? 'resume' : 'pause'} ID`);
    const webhook = await dataOf(
      line.client.PATCH('/api/v1/webhooks/{id}', { params: { path: { id } }, body: { active } }),
    );
    if (line.json) return printJson(webhook);
    process.stdout.write(
      active
        ? `resumed ${webhook.id}: deliveries kept while it was paused or disabled go out now\n`
        : `paused ${webhook.id}: events published meanwhile are kept and delivered on resume\n`,
    );
  };
}

async function rotateSecret(line: ApiCommandLine): Promise<void> {
  const id = webhookId(line, 'hookd webhooks rotate-secret ID [--secret whsec_…]');
  const secret = line.values.secret as string | undefined;
  const rotated = await dataOf(
    line.client.POST('/api/v1/webhooks/{id}/rotate-secret', {
      params: { path: { id } },
      body: secret === undefined ? {} : { secret },
    }),
  );
  if (line.json) return printJson(rotated);
  process.stdout.write(
    `rotated the secret of ${rotated.id}; the old one keeps signing beside it for 24 hours\n` +
      `new signing secret (shown only now):\n  ${rotated.secret ?? '(none: scheme "none" signs nothing)'}\n`,
  );
}

async function sendTest(line: ApiCommandLine): Promise<void> {
  const id = webhookId(line, 'hookd webhooks test ID');
  const sent = await dataOf(line.client.POST('/api/v1/webhooks/{id}/test', { params: { path: { id } }, body: {} }));
  const { delivery, attempt } = sent;
  const outcome = attempt === null ? 'not attempted' : attemptOutcome(attempt);
  if (line.json) printJson(sent);
  else
    process.stdout.write(`sent ${delivery.event} to ${id}: delivery ${delivery.id} ${delivery.status}, ${outcome}\n`);
  // As `stripe trigger` does: a script that sends a test learns from the exit code whether the endpoint took it.
  const status = attempt?.responseStatus ?? null;
  if (status !== null && status >= 200 && status <= 299) return;
  const why =
    attempt === null
      ? 'no attempt was recorded'
      : status === null
        ? (attempt.error ?? 'no answer')
        : `the endpoint answered ${status}`;
  throw new CommandFailed(`test delivery ${delivery.id} to ${id} failed: ${why}`);
}

export const WEBHOOK_ACTIONS = {
  get: { options: {}, run: get },
  update: { options: { ...FIELD_OPTIONS, endpoint: { type: 'string' } }, run: update },
  pause: { options: {}, run: setActive(false) },
  resume: { options: {}, run: setActive(true) },
  'rotate-secret': { options: { secret: { type: 'string' } }, run: rotateSecret },
  test: { options: {}, run: sendTest },
} satisfies Record<string, ApiSubcommand>;
