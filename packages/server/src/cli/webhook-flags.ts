// The flags that set a webhook's fields, shared by `hookd webhooks create` and `update`, turned into a request body.
import type { CreateWebhookBody, paths } from '@hookd/client';
import { ConfigError } from '../config/load-config.js';
import { listFlag, wholeNumberFlag, type ApiCommandLine } from './api-options.js';
import { jsonFlag, jsonObjectFlag } from './json-input.js';

export type UpdateWebhookBody = NonNullable<
  paths['/api/v1/webhooks/{id}']['patch']['requestBody']
>['content']['application/json'];

/** The fields both create and update set; --data takes any of the API's fields as JSON, the flags win over it. */
export const FIELD_OPTIONS = {
  data: { type: 'string' },
  events: { type: 'string', multiple: true },
  description: { type: 'string' },
  scheme: { type: 'string' },
  'header-prefix': { type: 'string' },
  header: { type: 'string', multiple: true },
  'retry-schedule': { type: 'string' },
  'no-retry-on-4xx': { type: 'boolean' },
  timeout: { type: 'string' },
  'rate-limit': { type: 'string' },
  ordering: { type: 'string' },
  filter: { type: 'string' },
  'auto-disable-after': { type: 'string' },
} as const;

/** The entries of `object` that are set: a flag not given leaves what --data says. */
function defined<T extends object>(object: T): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** "Name: value" → [name, value]. */
function headerFlag(text: string): [string, string] {
  const colon = text.indexOf(':');
  const name = text.slice(0, colon).trim();
  if (colon <= 0 || name === '') throw new ConfigError(`--header: must be "Name: value" (got "${text}")`);
  return [name, text.slice(colon + 1).trim()];
}

/**
 * The body from --data and the flags: only what was given, so the server's defaults (on create) or the stored values
 * (on update) apply to the rest. Values are passed as typed: a wrong --scheme or --timeout is the server's 400, naming
 * the field, as any other client would get it.
 */
export async function webhookFields(values: ApiCommandLine['values']): Promise<UpdateWebhookBody> {
  const text = (name: string) => values[name] as string | undefined;
  const body = (await jsonObjectFlag('data', text('data'))) as UpdateWebhookBody;
  const set = <K extends keyof UpdateWebhookBody>(key: K, value: UpdateWebhookBody[K] | undefined) => {
    if (value !== undefined) body[key] = value;
  };
  set('events', listFlag(values.events));
  set('description', text('description'));
  const scheme = text('scheme') as NonNullable<CreateWebhookBody['signature']>['scheme'];
  const headerPrefix = text('header-prefix');
  if (scheme !== undefined || headerPrefix !== undefined)
    body.signature = { ...body.signature, ...defined({ scheme, headerPrefix }) };
  const headers = ((values.header as string[] | undefined) ?? []).map(headerFlag);
  if (headers.length > 0) body.headers = Object.fromEntries(headers);
  const schedule = listFlag(values['retry-schedule']);
  if (schedule !== undefined || values['no-retry-on-4xx'] === true)
    body.retry = {
      ...body.retry,
      ...defined({ schedule, retryOn4xx: values['no-retry-on-4xx'] === true ? false : undefined }),
    };
  set('timeout', text('timeout'));
  set('rateLimit', wholeNumberFlag('rate-limit', text('rate-limit'), 1, 100_000));
  set('ordering', text('ordering') as UpdateWebhookBody['ordering']);
  // "workspace" is null: the webhook follows its workspace's autoDisableAfter.
  const autoDisableAfter = text('auto-disable-after');
  if (autoDisableAfter !== undefined)
    body.autoDisableAfter = autoDisableAfter === 'workspace' ? null : autoDisableAfter;
  const filter = text('filter');
  if (filter !== undefined) body.filter = (await jsonFlag('filter', filter)) as UpdateWebhookBody['filter'];
  // JSON.stringify leaves out the fields still undefined.
  return body;
}
