// Makes one attempt: build the body and headers, sign, POST through the guarded agent, read at most 4 KiB back.
import { sign } from '@hookd/verify';
import { request, type Dispatcher } from 'undici';
import { parseRetryAfter } from '../domain/attempt-outcome.js';
import { parseDuration } from '../domain/duration.js';
import { envelopeBody, type EventRecord } from '../domain/envelope.js';
import type { Attempt } from '../domain/delivery.js';
import type { Webhook } from '../domain/webhook.js';

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
export function signingSecrets(webhook: Pick<Webhook, 'secret' | 'previousSecret' | 'previousSecretExpiresAt'>, now: Date): string[] {
  const secrets = webhook.secret ? [webhook.secret] : [];
  if (webhook.previousSecret && webhook.previousSecretExpiresAt && webhook.previousSecretExpiresAt > now) secrets.push(webhook.previousSecret);
  return secrets;
}

export function deliveryHeaders(webhook: Webhook, event: EventRecord, body: string, userAgent: string, now: Date): Record<string, string> {
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
  const logged = { ...headers };
  for (const name of Object.keys(webhook.headers)) logged[name] = '[redacted]';
  return logged;
}

function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  return flat;
}

/** Reads up to RESPONSE_BODY_LIMIT bytes, then drops the rest of the stream. */
async function readBodyStart(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    chunks.push(buffer);
    size += buffer.length;
    if (size >= RESPONSE_BODY_LIMIT) break;
  }
  if (!body.destroyed) body.destroy();
  return Buffer.concat(chunks).subarray(0, RESPONSE_BODY_LIMIT).toString('utf8');
}

/** A short, human error text for a failed connection. */
export function describeSendError(error: unknown, timeoutMs: number, url: URL): string {
  const err = error as { name?: string; code?: string; message?: string; cause?: unknown };
  if (err.name === 'TimeoutError' || err.name === 'AbortError' || err.code === 'UND_ERR_HEADERS_TIMEOUT' || err.code === 'UND_ERR_BODY_TIMEOUT') {
    return `timeout: no complete answer within ${timeoutMs} ms`;
  }
  if (err.code === 'HOOKD_BLOCKED') return err.message ?? 'blocked by network policy';
  if (err.code === 'ECONNREFUSED') return `connection refused by ${url.host}`;
  if (err.code === 'ECONNRESET' || err.code === 'UND_ERR_SOCKET' || err.code === 'EPIPE') return `connection reset by ${url.host}`;
  if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN' || err.code === 'ENODATA') return `DNS lookup failed for ${url.hostname} (${err.code})`;
  if (err.code === 'UND_ERR_CONNECT_TIMEOUT') return `timeout: could not connect to ${url.host}`;
  if (err.code?.startsWith('ERR_TLS') || err.code?.startsWith('ERR_SSL') || /CERT|SSL|TLS|SELF_SIGNED/.test(err.code ?? '')) {
    return `TLS error: ${err.message ?? err.code}`;
  }
  if (err.cause) return describeSendError(err.cause, timeoutMs, url);
  return `${err.code ?? err.name ?? 'error'}: ${err.message ?? String(error)}`;
}

export async function sendAttempt(deps: SenderDeps, webhook: Webhook, event: EventRecord): Promise<SentAttempt> {
  const attemptedAt = deps.now();
  const body = envelopeBody(event, webhook.id);
  const headers = deliveryHeaders(webhook, event, body, deps.userAgent, attemptedAt);
  const timeoutMs = parseDuration(webhook.timeout) ?? 30_000;
  const started = performance.now();
  const url = new URL(webhook.url);
  const base = { attemptedAt, requestHeaders: loggedHeaders(headers, webhook) };
  // A timer of our own, cleared the moment the exchange ends. AbortSignal.timeout's timer lives out the whole timeout
  // after every quick answer: tens of thousands of them at once under load, all of it garbage for the old generation.
  const abort = new AbortController();
  const deadline = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const response = await request(url, { method: 'POST', headers, body, dispatcher: deps.agent, signal: abort.signal });
    const responseBody = await readBodyStart(response.body);
    const responseHeaders = flatHeaders(response.headers);
    return {
      attempt: {
        ...base,
        durationMs: Math.round(performance.now() - started),
        responseStatus: response.statusCode,
        responseHeaders,
        responseBody,
        error: response.statusCode >= 200 && response.statusCode < 300 ? null : `the receiver answered ${response.statusCode}`,
      },
      retryAfterMs: parseRetryAfter(responseHeaders['retry-after'], attemptedAt.getTime()),
    };
  } catch (error) {
    return {
      attempt: {
        ...base,
        durationMs: Math.round(performance.now() - started),
        responseStatus: null,
        responseHeaders: null,
        responseBody: null,
        error: describeSendError(error, timeoutMs, url),
      },
      retryAfterMs: undefined,
    };
  } finally {
    clearTimeout(deadline);
  }
}
