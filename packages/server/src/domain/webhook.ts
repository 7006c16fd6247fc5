// The webhook model, its defaults, and the rules its settings must follow (beyond plain types).
import type { FieldProblem } from './errors.js';
import { webhookAutoDisableAfterProblem } from './auto-disable.js';
import { durationProblem } from './duration.js';
import { eventPatternProblem } from './event-pattern.js';
import { filterProblems, type Filter } from './filter.js';
import { ENCRYPTED_FORM_PROBLEM } from './secrets.js';
import { ENCRYPTED_VALUE_PREFIX } from './secret-encryption.js';

export const SIGNATURE_SCHEMES = ['standard', 'timestamp-nonce', 'body', 'none'] as const;
export type SignatureScheme = (typeof SIGNATURE_SCHEMES)[number];
export const WEBHOOK_STATUSES = ['healthy', 'failing', 'disabled'] as const;
export type WebhookStatus = (typeof WEBHOOK_STATUSES)[number];
export const ORDERINGS = ['none', 'fifo'] as const;
export type Ordering = (typeof ORDERINGS)[number];

export interface WebhookSettings {
  url: string;
  description: string;
  events: string[];
  active: boolean;
  headers: Record<string, string>;
  signature: { scheme: SignatureScheme; headerPrefix: string };
  retry: { schedule: string[]; retryOn4xx: boolean };
  timeout: string;
  rateLimit: number | null;
  ordering: Ordering;
  filter: Filter | null;
  /**
   * Disabled after failing without a success for this long ("5d"); "never": not even when its workspace says so;
   * null: the workspace's `autoDisableAfter`.
   */
  autoDisableAfter: string | null;
}

export interface Webhook extends WebhookSettings {
  id: string;
  workspaceId: string;
  status: WebhookStatus;
  /** null only for scheme "none". */
  secret: string | null;
  /** The secret before the last rotation; it keeps signing until `previousSecretExpiresAt`. */
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
  /** When the first failed attempt since the last success was made (tests aside); null: not failing. */
  failingSince: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const SECRET_ROTATION_OVERLAP_MS = 24 * 3_600_000;

export const WEBHOOK_DEFAULTS: WebhookSettings = {
  url: '',
  description: '',
  events: ['*'],
  active: true,
  headers: {},
  signature: { scheme: 'standard', headerPrefix: 'X-Webhook-' },
  retry: { schedule: ['5s', '5m', '30m', '2h', '5h', '10h', '10h'], retryOn4xx: true },
  timeout: '30s',
  rateLimit: null,
  ordering: 'none',
  filter: null,
  autoDisableAfter: null,
};

export const MAX_EVENT_PATTERNS = 100;
export const MAX_RETRY_STEPS = 30;
export const MAX_CUSTOM_HEADERS = 32;
const MIN_TIMEOUT_MS = 1_000;
const MAX_TIMEOUT_MS = 60_000;
const MAX_RETRY_DELAY_MS = 7 * 86_400_000;

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** Headers hookd sets itself on every delivery; a webhook's own `headers` may not replace them. */
const RESERVED_HEADERS = new Set([
  'host',
  'content-length',
  'content-type',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'expect',
  'user-agent',
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
]);
const RESERVED_HEADER_PREFIX = 'x-webhook-';

function urlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return `must be an http or https URL, not ${parsed.protocol.slice(0, -1)}`;
  if (parsed.username || parsed.password) return 'must not carry credentials; put them in `headers` instead';
  if (parsed.hash) return 'must not have a #fragment';
  return undefined;
}

function headerProblems(headers: Record<string, string>, signaturePrefix: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const names = Object.keys(headers);
  if (names.length > MAX_CUSTOM_HEADERS)
    problems.push({ field: 'headers', message: `at most ${MAX_CUSTOM_HEADERS} headers` });
  const prefix = signaturePrefix.toLowerCase();
  for (const name of names) {
    const field = `headers.${name}`;
    const lower = name.toLowerCase();
    if (!HEADER_NAME.test(name)) problems.push({ field, message: 'is not a valid header name' });
    else if (
      RESERVED_HEADERS.has(lower) ||
      lower.startsWith(RESERVED_HEADER_PREFIX) ||
      (prefix && lower.startsWith(prefix))
    ) {
      problems.push({ field, message: 'is set by hookd on every delivery and cannot be overridden' });
    }
    const value = headers[name]!;
    if (!HEADER_VALUE.test(value) || value.length > 4096)
      problems.push({ field, message: 'must be at most 4096 characters with no line breaks' });
    else if (value.startsWith(ENCRYPTED_VALUE_PREFIX)) problems.push({ field, message: ENCRYPTED_FORM_PROBLEM });
  }
  return problems;
}

/** Every problem with a full set of settings (after defaults and any patch were applied). */
export function webhookSettingsProblems(settings: WebhookSettings): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (field: string, message: string | undefined) => {
    if (message) problems.push({ field, message });
  };
  add('url', urlProblem(settings.url));
  if (settings.events.length === 0) add('events', 'must list at least one pattern (use "*" for every event)');
  if (settings.events.length > MAX_EVENT_PATTERNS) add('events', `at most ${MAX_EVENT_PATTERNS} patterns`);
  settings.events.forEach((pattern, i) => add(`events[${i}]`, eventPatternProblem(pattern)));
  if (!HEADER_NAME.test(settings.signature.headerPrefix) || settings.signature.headerPrefix.length > 64) {
    add('signature.headerPrefix', 'must be 1 to 64 header-name characters, e.g. "X-Webhook-"');
  }
  problems.push(
    ...headerProblems(settings.headers, settings.signature.scheme === 'none' ? '' : settings.signature.headerPrefix),
  );
  if (settings.retry.schedule.length > MAX_RETRY_STEPS) add('retry.schedule', `at most ${MAX_RETRY_STEPS} retries`);
  settings.retry.schedule.forEach((step, i) =>
    add(`retry.schedule[${i}]`, durationProblem(step, 0, MAX_RETRY_DELAY_MS)),
  );
  add('timeout', durationProblem(settings.timeout, MIN_TIMEOUT_MS, MAX_TIMEOUT_MS));
  if (settings.filter !== null) problems.push(...filterProblems(settings.filter));
  if (settings.autoDisableAfter !== null)
    add('autoDisableAfter', webhookAutoDisableAfterProblem(settings.autoDisableAfter));
  return problems;
}
