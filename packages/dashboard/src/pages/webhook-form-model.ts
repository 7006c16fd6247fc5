// The "New webhook" / settings form as text fields, and the API body they make (or the field problems that stop it).
import type { CreateWebhookBody, FieldProblem, Webhook } from '../api/client';

export const RETRY_PRESETS: { id: string; label: string; schedule: string[] }[] = [
  {
    id: 'default',
    label: 'Default: 5s, 5m, 30m, 2h, 5h, 10h, 10h',
    schedule: ['5s', '5m', '30m', '2h', '5h', '10h', '10h'],
  },
  { id: 'quick', label: 'Quick: 1s, 5s, 30s', schedule: ['1s', '5s', '30s'] },
  { id: 'minutes', label: 'Minutes: 1m, 5m, 30m', schedule: ['1m', '5m', '30m'] },
  { id: 'doubling', label: 'Doubling: 1m, 2m, 4m, 8m, 16m', schedule: ['1m', '2m', '4m', '8m', '16m'] },
];
export const CUSTOM_RETRY = 'custom';

export interface WebhookFormState {
  url: string;
  description: string;
  /** Names ticked in the catalog. */
  events: string[];
  /** Names or patterns typed (comma or space separated), e.g. `message.*`. */
  typedEvents: string;
  scheme: 'standard' | 'timestamp-nonce' | 'body' | 'none';
  headerPrefix: string;
  retryPreset: string;
  customSchedule: string;
  retryOn4xx: boolean;
  timeout: string;
  rateLimit: string;
  ordering: 'none' | 'fifo';
  filter: string;
  /** One `Name: value` a line. */
  headers: string;
  /** A duration ("5d"); empty: the workspace's setting. */
  autoDisableAfter: string;
  verify: boolean;
}

export const EMPTY_FORM: WebhookFormState = {
  url: '',
  description: '',
  events: [],
  typedEvents: '',
  scheme: 'standard',
  headerPrefix: 'X-Webhook-',
  retryPreset: 'default',
  customSchedule: '',
  retryOn4xx: true,
  timeout: '30s',
  rateLimit: '',
  ordering: 'none',
  filter: '',
  headers: '',
  autoDisableAfter: '',
  verify: false,
};

function presetOf(schedule: string[]): string {
  return RETRY_PRESETS.find((preset) => preset.schedule.join(',') === schedule.join(','))?.id ?? CUSTOM_RETRY;
}

/** The form showing a webhook's settings; events not in the catalog go to the typed field. */
export function formOf(webhook: Webhook, catalog: string[]): WebhookFormState {
  const known = new Set(catalog);
  return {
    url: webhook.url,
    description: webhook.description,
    events: webhook.events.filter((name) => known.has(name)),
    typedEvents: webhook.events.filter((name) => !known.has(name)).join(', '),
    scheme: webhook.signature.scheme,
    headerPrefix: webhook.signature.headerPrefix,
    retryPreset: presetOf(webhook.retry.schedule),
    customSchedule: webhook.retry.schedule.join(', '),
    retryOn4xx: webhook.retry.retryOn4xx,
    timeout: webhook.timeout,
    rateLimit: webhook.rateLimit === null ? '' : String(webhook.rateLimit),
    ordering: webhook.ordering,
    filter: webhook.filter ? JSON.stringify(webhook.filter, null, 2) : '',
    headers: Object.entries(webhook.headers)
      .map(([name, value]) => `${name}: ${value}`)
      .join('\n'),
    autoDisableAfter: webhook.autoDisableAfter ?? '',
    verify: false,
  };
}

const words = (text: string) => text.split(/[\s,]+/).filter(Boolean);

function parseHeaders(text: string, problems: FieldProblem[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (!line) continue;
    const colon = line.indexOf(':');
    if (colon < 1) problems.push({ field: 'headers', message: `"${line}" is not "Name: value"` });
    else headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return headers;
}

function parseFilter(text: string, problems: FieldProblem[]): Record<string, unknown> | null {
  if (!text.trim()) return null;
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // said below
  }
  problems.push({ field: 'filter', message: 'must be a JSON object, e.g. {"data.amount": {"$gt": 100}}' });
  return null;
}

/** The API body for the form, or the problems the browser can already see (the server checks everything again). */
export function bodyOf(form: WebhookFormState): { body: CreateWebhookBody; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const schedule =
    form.retryPreset === CUSTOM_RETRY
      ? words(form.customSchedule)
      : (RETRY_PRESETS.find((preset) => preset.id === form.retryPreset)?.schedule ?? []);
  const rateLimit = form.rateLimit.trim() === '' ? null : Number(form.rateLimit);
  if (rateLimit !== null && !Number.isInteger(rateLimit))
    problems.push({ field: 'rateLimit', message: 'must be a whole number of deliveries a second, or empty' });
  const body: CreateWebhookBody = {
    url: form.url.trim(),
    description: form.description,
    events: [...new Set([...form.events, ...words(form.typedEvents)])],
    signature: { scheme: form.scheme, headerPrefix: form.headerPrefix },
    retry: { schedule, retryOn4xx: form.retryOn4xx },
    timeout: form.timeout.trim(),
    rateLimit: rateLimit !== null && Number.isInteger(rateLimit) ? rateLimit : null,
    ordering: form.ordering,
    filter: parseFilter(form.filter, problems),
    headers: parseHeaders(form.headers, problems),
    autoDisableAfter: form.autoDisableAfter.trim() === '' ? null : form.autoDisableAfter.trim(),
  };
  return { body, problems };
}
