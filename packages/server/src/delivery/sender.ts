// Makes one attempt: build the body and headers, sign, POST through the guarded agent, read at most 4 KiB back.
import type { IncomingHttpHeaders } from 'node:http';
import { sign } from '@hookd/verify';
import { LRUCache } from 'lru-cache';
import type { Dispatcher } from 'undici';
import { parseRetryAfter } from '../domain/attempt-outcome.js';
import { parseDuration } from '../domain/duration.js';
import { envelopeBody, type EventRecord } from '../domain/envelope.js';
import type { Attempt } from '../domain/delivery.js';
import { maskHeaderValues } from '../domain/masked-headers.js';
import type { Webhook } from '../domain/webhook.js';
import { exchange } from './exchange.js';

export const RESPONSE_BODY_LIMIT = 4096;

export interface SentAttempt {
  attempt: Omit<Attempt, 'deliveryId'>;
  retryAfterMs: number | undefined;
}

export interface SenderDeps {
  agent: Dispatcher;
  userAgent: string;
  now: () => Date;
}

/** The secrets that sign now: the current one, and the previous one while its 24 hours last. */
export function signingSecrets(
  webhook: Pick<Webhook, 'secret' | 'previousSecret' | 'previousSecretExpiresAt'>,
  now: Date,
): string[] {
  const secrets = webhook.secret ? [webhook.secret] : [];
  if (webhook.previousSecret && webhook.previousSecretExpiresAt && webhook.previousSecretExpiresAt > now)
    secrets.push(webhook.previousSecret);
  return secrets;
}

export function deliveryHeaders(
  webhook: Webhook,
  event: EventRecord,
  body: string,
  userAgent: string,
  now: Date,
): Record<string, string> {
  const headers: Record<string, string> = {
    ...webhook.headers,
    'Content-Type': 'application/json',
    'User-Agent': userAgent,
    'X-Webhook-Event': event.type,
    'X-Webhook-Id': webhook.id,
    'X-Webhook-Event-Id': event.id,
    'X-Webhook-Timestamp': event.timestamp.toISOString(),
  };
  if (typeof event.extras.resourceType === 'string') headers['X-Webhook-Resource-Type'] = event.extras.resourceType;
  if (typeof event.extras.resourceId === 'string') headers['X-Webhook-Resource-Id'] = event.extras.resourceId;
  Object.assign(
    headers,
    sign({
      scheme: webhook.signature.scheme,
      headerPrefix: webhook.signature.headerPrefix,
      secrets: signingSecrets(webhook, now),
      body,
      id: event.id,
      timestamp: Math.floor(now.getTime() / 1000),
    }),
  );
  return headers;
}

/** The request headers as the attempt log shows them: the webhook's own header values may be credentials. */
function loggedHeaders(headers: Record<string, string>, webhook: Webhook): Record<string, string> {
  const own = Object.keys(webhook.headers);
  return own.length === 0 ? headers : maskHeaderValues(headers, own);
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

// Parsed once per endpoint rather than on every attempt; bounded (least recently used out first), so endpoints long
// gone do not pile up.
const urlCache = new LRUCache<string, URL>({ max: 1_000 });

function parsedUrl(text: string): URL {
  let url = urlCache.get(text);
  if (!url) {
    url = new URL(text);
    urlCache.set(text, url);
  }
  return url;
}

/** A short, human error text for a failed connection. */
export function describeSendError(error: unknown, timeoutMs: number, url: URL): string {
  const err = error as { name?: string; code?: string; message?: string; cause?: unknown };
  if (
    err.name === 'TimeoutError' ||
    err.name === 'AbortError' ||
    err.code === 'UND_ERR_HEADERS_TIMEOUT' ||
    err.code === 'UND_ERR_BODY_TIMEOUT'
  ) {
    return `timeout: no complete answer within ${timeoutMs} ms`;
  }
  if (err.code === 'HOOKD_BLOCKED') return err.message ?? 'blocked by network policy';
  if (err.code === 'HOOKD_DNS') return err.message ?? `DNS lookup of ${url.hostname} failed`;
  if (err.code === 'ECONNREFUSED') return `connection refused by ${url.host}`;
  if (err.code === 'ECONNRESET' || err.code === 'UND_ERR_SOCKET' || err.code === 'EPIPE')
    return `connection reset by ${url.host}`;
  if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN' || err.code === 'ENODATA')
    return `DNS lookup failed for ${url.hostname} (${err.code})`;
  if (err.code === 'UND_ERR_CONNECT_TIMEOUT') return `timeout: could not connect to ${url.host}`;
  if (
    err.code?.startsWith('ERR_TLS') ||
    err.code?.startsWith('ERR_SSL') ||
    /CERT|SSL|TLS|SELF_SIGNED/.test(err.code ?? '')
  ) {
    return `TLS error: ${err.message ?? err.code}`;
  }
  if (err.cause) return describeSendError(err.cause, timeoutMs, url);
  return `${err.code ?? err.name ?? 'error'}: ${err.message ?? String(error)}`;
}

/**
 * An attempt that failed before anything was sent (the webhook could not be signed, say): recorded and retried on
 * the schedule like any failure, so its delivery neither stays leased nor goes out unsigned. `reason` names no secret.
 */
export function unsentAttempt(attemptedAt: Date, reason: string): SentAttempt {
  return {
    attempt: {
      attemptedAt,
      requestHeaders: {},
      durationMs: 0,
      responseStatus: null,
      responseHeaders: null,
      responseBody: null,
      error: `not sent: ${reason}`,
    },
    retryAfterMs: undefined,
  };
}

export async function sendAttempt(deps: SenderDeps, webhook: Webhook, event: EventRecord): Promise<SentAttempt> {
  const attemptedAt = deps.now();
  let body: string, headers: Record<string, string>, url: URL;
  try {
    body = envelopeBody(event, webhook.id);
    headers = deliveryHeaders(webhook, event, body, deps.userAgent, attemptedAt);
    url = parsedUrl(webhook.url);
  } catch (error) {
    return unsentAttempt(attemptedAt, `preparing the request failed (${(error as Error).message})`);
  }
  const timeoutMs = parseDuration(webhook.timeout) ?? 30_000;
  const started = performance.now();
  const requestHeaders = loggedHeaders(headers, webhook);
  // Object literals spelled out, not spread from a common base: on this path, once per delivery, spreads showed in
  // the profile.
  try {
    const answer = await exchange(deps.agent, { url, headers, body, timeoutMs, bodyLimit: RESPONSE_BODY_LIMIT });
    const responseHeaders = flatHeaders(answer.headers);
    return {
      attempt: {
        attemptedAt,
        requestHeaders,
        durationMs: Math.round(performance.now() - started),
        responseStatus: answer.status,
        responseHeaders,
        responseBody: answer.body.toString('utf8'),
        error: answer.status >= 200 && answer.status < 300 ? null : `the receiver answered ${answer.status}`,
      },
      retryAfterMs: parseRetryAfter(responseHeaders['retry-after'], attemptedAt.getTime()),
    };
  } catch (error) {
    return {
      attempt: {
        attemptedAt,
        requestHeaders,
        durationMs: Math.round(performance.now() - started),
        responseStatus: null,
        responseHeaders: null,
        responseBody: null,
        error: describeSendError(error, timeoutMs, url),
      },
      retryAfterMs: undefined,
    };
  }
}
