// Use cases for webhooks: create (with a secret shown once), read, list, change, delete, rotate the secret.
import { HookdError, throwIfProblems, type FieldProblem } from '../domain/errors.js';
import type { Filter } from '../domain/filter.js';
import { newEventId, newId } from '../domain/ids.js';
import { maskedHeaderProblems, unmaskHeaderValues } from '../domain/masked-headers.js';
import { testEvent } from '../domain/test-event.js';
import { generateWebhookSecret, webhookSecretProblem } from '../domain/secrets.js';
import {
  SECRET_ROTATION_OVERLAP_MS,
  WEBHOOK_DEFAULTS,
  webhookSettingsProblems,
  type Ordering,
  type SignatureScheme,
  type Webhook,
  type WebhookSettings,
} from '../domain/webhook.js';
import type { Page, PageRequest, WebhookChanges } from '../store/store.js';
import type { ServiceDeps } from './deps.js';

/** What a client may send; every field optional on PATCH, `url` required on create. */
export interface WebhookInput {
  url?: string | undefined;
  description?: string | undefined;
  events?: string[] | undefined;
  active?: boolean | undefined;
  headers?: Record<string, string> | undefined;
  signature?: { scheme?: SignatureScheme | undefined; headerPrefix?: string | undefined } | undefined;
  retry?: { schedule?: string[] | undefined; retryOn4xx?: boolean | undefined } | undefined;
  timeout?: string | undefined;
  rateLimit?: number | null | undefined;
  ordering?: Ordering | undefined;
  filter?: Filter | null | undefined;
  autoDisableAfter?: string | null | undefined;
}

/** A webhook and, when one was made or given just now, its secret: the only time a client sees it. */
export interface WebhookWithSecret {
  webhook: Webhook;
  secret?: string | undefined;
}

function applyInput(base: WebhookSettings, input: WebhookInput): WebhookSettings {
  return {
    url: input.url ?? base.url,
    description: input.description ?? base.description,
    events: input.events ?? base.events,
    active: input.active ?? base.active,
    headers: input.headers ?? base.headers,
    signature: {
      scheme: input.signature?.scheme ?? base.signature.scheme,
      headerPrefix: input.signature?.headerPrefix ?? base.signature.headerPrefix,
    },
    retry: {
      schedule: input.retry?.schedule ?? base.retry.schedule,
      retryOn4xx: input.retry?.retryOn4xx ?? base.retry.retryOn4xx,
    },
    timeout: input.timeout ?? base.timeout,
    rateLimit: input.rateLimit !== undefined ? input.rateLimit : base.rateLimit,
    ordering: input.ordering ?? base.ordering,
    filter: input.filter !== undefined ? input.filter : base.filter,
    autoDisableAfter: input.autoDisableAfter !== undefined ? input.autoDisableAfter : base.autoDisableAfter,
  };
}

/** A URL the network policy refuses outright (a literal private address, plain http to a public one) is a 422. */
function throwIfUrlRefused(deps: ServiceDeps, url: string): void {
  const refusal = deps.delivery.urlRefusal(url);
  if (refusal) throw new HookdError('HOOKD_ERR_UNPROCESSABLE', `url: ${refusal}`, [{ field: 'url', message: refusal }]);
}

/**
 * Refuses a webhook past the workspace's limit: each is matched on every publish. Counted before the insert, so
 * creates racing at the limit may pass it by a few; what it bounds is the order of magnitude, not the last one.
 */
async function throwIfWorkspaceFull(deps: ServiceDeps, workspaceId: string): Promise<void> {
  const limit = deps.maxWebhooksPerWorkspace;
  if ((await deps.store.countWebhooks(workspaceId)) < limit) return;
  const message = `this workspace has its limit of ${limit} webhooks (--max-webhooks-per-workspace); delete one, or raise the limit`;
  throw new HookdError('HOOKD_ERR_CONFLICT', message);
}

export async function createWebhook(
  deps: ServiceDeps,
  workspaceId: string,
  input: WebhookInput & { url: string; secret?: string | undefined; verify?: boolean | undefined },
): Promise<WebhookWithSecret> {
  const settings = applyInput(WEBHOOK_DEFAULTS, input);
  const problems: FieldProblem[] = [...webhookSettingsProblems(settings), ...maskedHeaderProblems(settings.headers)];
  const scheme = settings.signature.scheme;
  let secret: string | null = null;
  if (input.secret !== undefined) {
    const problem = webhookSecretProblem(input.secret, scheme);
    if (problem) problems.push({ field: 'secret', message: problem });
    secret = input.secret;
  } else if (scheme !== 'none') {
    secret = generateWebhookSecret();
  }
  throwIfProblems(problems);
  throwIfUrlRefused(deps, settings.url);
  await throwIfWorkspaceFull(deps, workspaceId);
  const now = deps.clock();
  const webhook: Webhook = {
    ...settings,
    id: newId('wh', now.getTime()),
    workspaceId,
    status: 'healthy',
    secret,
    previousSecret: null,
    previousSecretExpiresAt: null,
    failingSince: null,
    createdAt: now,
    updatedAt: now,
  };
  if (input.verify) {
    const probe = await deps.delivery.probe(
      webhook,
      testEvent({ id: newEventId(now.getTime()), workspaceId, webhookId: webhook.id, now }),
    );
    if (!probe.ok)
      throw new HookdError(
        'HOOKD_ERR_UNPROCESSABLE',
        `url: the endpoint did not accept a test event: ${probe.detail}`,
        [{ field: 'url', message: probe.detail }],
      );
  }
  await deps.store.insertWebhook(webhook);
  return { webhook, secret: secret ?? undefined };
}

/** The webhook with its secret fields as stored (perhaps encrypted): enough to show it, or to know it exists. */
export async function getWebhook(deps: ServiceDeps, workspaceId: string, id: string): Promise<Webhook> {
  const webhook = await deps.store.getWebhook(workspaceId, id);
  if (!webhook) throw new HookdError('HOOKD_ERR_WEBHOOK_NOT_FOUND', `no webhook ${id}`);
  return webhook;
}

/** A page of webhooks for showing: their secret fields as stored (the view shows none of their values). */
/** Newest first; `onlyIds` (a portal link's webhooks, at most 100): those of them that still exist, paged alike. */
export async function listWebhooks(
  deps: ServiceDeps,
  workspaceId: string,
  page: PageRequest,
  onlyIds: string[] | null = null,
): Promise<Page<Webhook>> {
  if (onlyIds === null) return deps.store.listWebhooks(workspaceId, page);
  const found = await Promise.all(onlyIds.map((id) => deps.store.getWebhook(workspaceId, id)));
  const after = found
    .filter((webhook): webhook is Webhook => webhook !== undefined)
    .filter((webhook) => page.cursor === undefined || webhook.id < page.cursor)
    .sort((a, b) => (a.id < b.id ? 1 : -1));
  const data = after.slice(0, page.limit);
  return { data, nextCursor: after.length > page.limit ? data[data.length - 1]!.id : null };
}

/** The secrets after a change of scheme: dropped for "none", made for a webhook that had none. */
function secretsForScheme(
  current: Webhook,
  scheme: SignatureScheme,
): Pick<Webhook, 'secret' | 'previousSecret' | 'previousSecretExpiresAt'> & { generated?: string } {
  if (scheme === 'none') return { secret: null, previousSecret: null, previousSecretExpiresAt: null };
  if (current.secret === null) {
    const generated = generateWebhookSecret();
    return { secret: generated, previousSecret: null, previousSecretExpiresAt: null, generated };
  }
  const problem = webhookSecretProblem(current.secret, scheme);
  if (problem) {
    throw new HookdError(
      'HOOKD_ERR_VALIDATION',
      `signature.scheme: the current secret cannot sign with "${scheme}" (${problem}); rotate the secret first`,
      [
        {
          field: 'signature.scheme',
          message: `the current secret cannot sign with "${scheme}"; rotate the secret first`,
        },
      ],
    );
  }
  return {
    secret: current.secret,
    previousSecret: current.previousSecret,
    previousSecretExpiresAt: current.previousSecretExpiresAt,
  };
}

export async function updateWebhook(
  deps: ServiceDeps,
  workspaceId: string,
  id: string,
  input: WebhookInput,
): Promise<WebhookWithSecret> {
  const current = deps.secrets.open(await getWebhook(deps, workspaceId, id));
  // Answers show header values masked; a mask sent back keeps the value stored (see masked-headers.ts).
  const unmasked = input.headers && unmaskHeaderValues(input.headers, current.headers);
  const settings = applyInput(current, unmasked ? { ...input, headers: unmasked.headers } : input);
  throwIfProblems([...webhookSettingsProblems(settings), ...(unmasked?.problems ?? [])]);
  if (input.url !== undefined) throwIfUrlRefused(deps, settings.url);
  // Secrets are written only when the scheme changes them, so this change cannot undo a rotation made meanwhile.
  const schemeChanged = settings.signature.scheme !== current.signature.scheme;
  const { generated, ...secrets } = schemeChanged
    ? secretsForScheme(current, settings.signature.scheme)
    : { generated: undefined };
  // Turning a webhook back on is also how an operator re-enables one that hookd disabled. Otherwise the status is
  // left alone: a worker may be changing it as this runs.
  const reenabled = input.active === true && current.status === 'disabled';
  // Its failing clock starts over when it is turned back on (re-enabled or resumed): the time it sent nothing does
  // not count towards auto-disable, nor is it disabled again at the next sweep before a single new attempt.
  const turnedOn = reenabled || (settings.active && !current.active);
  const changes: WebhookChanges = {
    ...settings,
    ...secrets,
    ...(reenabled ? { status: 'healthy' as const } : {}),
    ...(turnedOn ? { failingSince: null } : {}),
    updatedAt: deps.clock(),
  };
  if (!(await deps.store.updateWebhook(workspaceId, id, changes)))
    throw new HookdError('HOOKD_ERR_WEBHOOK_NOT_FOUND', `no webhook ${id}`);
  // Events held while it was paused or disabled are due now.
  if (settings.active && (!current.active || reenabled)) deps.delivery.wake();
  return { webhook: { ...current, ...changes }, secret: generated };
}

export async function deleteWebhook(deps: ServiceDeps, workspaceId: string, id: string): Promise<void> {
  if (!(await deps.store.deleteWebhook(workspaceId, id)))
    throw new HookdError('HOOKD_ERR_WEBHOOK_NOT_FOUND', `no webhook ${id}`);
}

/** A new secret signs from now on; the old one keeps signing beside it for 24 hours so receivers can switch. */
export async function rotateWebhookSecret(
  deps: ServiceDeps,
  workspaceId: string,
  id: string,
  input: { secret?: string | undefined },
): Promise<WebhookWithSecret> {
  const current = deps.secrets.open(await getWebhook(deps, workspaceId, id));
  const scheme = current.signature.scheme;
  if (scheme === 'none') {
    throw new HookdError(
      'HOOKD_ERR_UNPROCESSABLE',
      'this webhook signs nothing (signature.scheme "none"), so it has no secret to rotate',
    );
  }
  if (input.secret !== undefined) {
    const problem = webhookSecretProblem(input.secret, scheme);
    if (problem) throwIfProblems([{ field: 'secret', message: problem }]);
  }
  const now = deps.clock();
  const secret = input.secret ?? generateWebhookSecret();
  const changes = {
    secret,
    previousSecret: current.secret,
    previousSecretExpiresAt: new Date(now.getTime() + SECRET_ROTATION_OVERLAP_MS),
    updatedAt: now,
  };
  if (!(await deps.store.updateWebhook(workspaceId, id, changes)))
    throw new HookdError('HOOKD_ERR_WEBHOOK_NOT_FOUND', `no webhook ${id}`);
  return { webhook: { ...current, ...changes }, secret };
}
