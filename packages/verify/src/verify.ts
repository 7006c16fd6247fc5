// Verifies one delivery under any scheme hookd signs with and returns its parsed body, or throws saying why not.
import { Buffer } from 'node:buffer';
import { timingSafeEqual } from 'node:crypto';
import { WebhookVerificationError } from './errors.js';
import type { HookdEvent } from './event.js';
import { headerValue, headerValues, type WebhookHeaders } from './headers.js';
import type { AsyncReplayStore, ReplayStore } from './replay-store.js';
import { DEFAULT_HEADER_PREFIX, signatureHeaderNames, type SignatureScheme } from './schemes.js';
import { signatureFor } from './sign.js';

/** The schemes verify() checks (a webhook with scheme "none" sends nothing to verify). */
export type VerifyScheme = Exclude<SignatureScheme, 'none'>;

/** The request body exactly as received. A parsed object cannot be verified: its bytes are gone. */
export type RawBody = string | Uint8Array;

/** One secret, or several while a rotation is under way (any one of them may have signed). */
export type Secrets = string | readonly string[];

export interface VerifyOptions {
  /** The webhook's `signature.scheme`; default "standard". */
  scheme?: VerifyScheme;
  /** The webhook's `signature.headerPrefix`, for timestamp-nonce and body; default "X-Webhook-". */
  headerPrefix?: string;
  /** How far the signed timestamp may be from now, either way (standard, timestamp-nonce); default 300. */
  toleranceSeconds?: number;
  /** The clock: unix time in milliseconds, like Date.now (the default). */
  now?: () => number;
  /** Refuses a message accepted before (reason "replayed"); see README for the key each scheme uses. */
  replayStore?: ReplayStore;
}

export interface VerifyAsyncOptions extends Omit<VerifyOptions, 'replayStore'> {
  replayStore?: AsyncReplayStore;
}

export const DEFAULT_TOLERANCE_SECONDS = 300;

/** What a signature check established: the event, and what identifies this very message for the replay store. */
interface Verified {
  event: unknown;
  replay: { key: string; expiresAt: number; now: number } | undefined;
}

function fail(reason: WebhookVerificationError['reason'], message: string): never {
  throw new WebhookVerificationError(reason, message);
}

function secretList(secret: Secrets): string[] {
  const secrets = (typeof secret === 'string' ? [secret] : [...secret]).filter(
    (one) => typeof one === 'string' && one.length > 0,
  );
  if (secrets.length === 0)
    throw new TypeError('verify: no secret given (is the environment variable holding it set?)');
  return secrets;
}

function bodyText(rawBody: RawBody): string {
  return typeof rawBody === 'string'
    ? rawBody
    : Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength).toString('utf8');
}

function checkRawBody(rawBody: unknown): asserts rawBody is RawBody {
  if (typeof rawBody === 'string' || rawBody instanceof Uint8Array) return;
  fail(
    'invalid_body',
    `the raw body must be a string, Buffer or Uint8Array, not ${rawBody === null ? 'null' : typeof rawBody}: verify the bytes as received, before any JSON parsing`,
  );
}

function required(headers: WebhookHeaders, name: string): string {
  const value = headerValue(headers, name);
  if (value === undefined || value.trim() === '') fail('missing_header', `the ${name} header is missing`);
  return value.trim();
}

/** Unix seconds as the sender wrote them; anything else cannot be within the tolerance. */
function unixSeconds(headers: WebhookHeaders, name: string): { text: string; seconds: number } {
  const text = required(headers, name);
  if (!/^(0|[1-9]\d{0,14})$/.test(text))
    fail('timestamp_out_of_tolerance', `the ${name} header is not a unix time in seconds`);
  return { text, seconds: Number(text) };
}

function safeEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Whether any given signature equals any expected one; compares every pair so timing says nothing of which. */
function anyMatches(given: readonly string[], expected: readonly string[]): boolean {
  let matched = false;
  for (const one of given) for (const other of expected) matched = safeEqual(one, other) || matched;
  return matched;
}

function withinTolerance(
  name: string,
  seconds: number,
  { now, toleranceSeconds }: Pick<CheckContext, 'now' | 'toleranceSeconds'>,
): void {
  const skew = now / 1000 - seconds;
  if (skew > toleranceSeconds)
    fail(
      'timestamp_out_of_tolerance',
      `the ${name} header is ${Math.round(skew)} s old, more than the ${toleranceSeconds} s allowed`,
    );
  if (-skew > toleranceSeconds)
    fail(
      'timestamp_out_of_tolerance',
      `the ${name} header is ${Math.round(-skew)} s in the future, more than the ${toleranceSeconds} s allowed`,
    );
}

function parseEvent(rawBody: RawBody): unknown {
  try {
    return JSON.parse(bodyText(rawBody));
  } catch {
    return fail('invalid_body', 'the body is signed correctly but is not JSON');
  }
}

/** Everything the scheme checks read, worked out once per call. */
interface CheckContext {
  rawBody: RawBody;
  headers: WebhookHeaders;
  secrets: string[];
  names: ReturnType<typeof signatureHeaderNames>;
  /** Unix ms. */
  now: number;
  toleranceSeconds: number;
}

/** A replay record lives as long as its timestamp could still pass the tolerance check. */
function replayFor(context: CheckContext, key: string, seconds: number): Verified['replay'] {
  return { key, expiresAt: (seconds + context.toleranceSeconds) * 1000, now: context.now };
}

function checkStandard(context: CheckContext): Verified {
  const { rawBody, headers, names } = context;
  const id = required(headers, names.standardId);
  const timestamp = unixSeconds(headers, names.standardTimestamp);
  required(headers, names.standardSignature);
  // Space-separated; a repeated header arrives joined with ", " (Node, Express, fetch's Headers), and a base64
  // signature never ends in a comma, so a comma before the space is the join's.
  const given = headerValues(headers, names.standardSignature)
    .flatMap((value) => value.split(/,?\s+/))
    .filter((one) => one.length > 0);
  const expected = context.secrets.map((secret) =>
    signatureFor({ scheme: 'standard', secret, body: rawBody, id, timestamp: timestamp.seconds }),
  );
  if (!anyMatches(given, expected))
    fail('bad_signature', 'no webhook-signature matches the body signed with this secret');
  withinTolerance(names.standardTimestamp, timestamp.seconds, context);
  // Each attempt is signed afresh with its own timestamp: id + timestamp names this very request, so a retry passes.
  return {
    event: parseEvent(rawBody),
    replay: replayFor(context, `standard:${id}:${timestamp.text}`, timestamp.seconds),
  };
}

/** The main signature header and, during a rotation, the previous secret's, lower-cased. */
function singleSignatures(context: CheckContext): string[] {
  const main = required(context.headers, context.names.signature);
  return [main, headerValue(context.headers, context.names.previousSignature) ?? ''].map((one) =>
    one.trim().toLowerCase(),
  );
}

function checkTimestampNonce(context: CheckContext): Verified {
  const { rawBody, headers, names } = context;
  const given = singleSignatures(context);
  const timestamp = unixSeconds(headers, names.timestamp);
  const nonce = required(headers, names.nonce);
  const expected = context.secrets.map((secret) =>
    signatureFor({ scheme: 'timestamp-nonce', secret, body: rawBody, id: '', timestamp: timestamp.seconds, nonce }),
  );
  if (!anyMatches(given, expected))
    fail('bad_signature', `no ${names.signature} matches the body signed with this secret`);
  withinTolerance(names.timestamp, timestamp.seconds, context);
  return { event: parseEvent(rawBody), replay: replayFor(context, `nonce:${nonce}`, timestamp.seconds) };
}

function checkBody(context: CheckContext): Verified {
  const { rawBody, names } = context;
  // "sha256=<hex>" as hookd sends it; a bare hex digest is accepted too, as the seed pages' receivers do.
  const given = singleSignatures(context).map((one) => (one.startsWith('sha256=') ? one : `sha256=${one}`));
  const expected = context.secrets.map((secret) =>
    signatureFor({ scheme: 'body', secret, body: rawBody, id: '', timestamp: 0 }),
  );
  if (!anyMatches(given, expected))
    fail('bad_signature', `no ${names.signature} matches the body signed with this secret`);
  // Nothing time-bound is signed: a retry is byte-identical to the first attempt, so no replay key can tell them apart.
  return { event: parseEvent(rawBody), replay: undefined };
}

const CHECKS: Record<VerifyScheme, (context: CheckContext) => Verified> = {
  standard: checkStandard,
  'timestamp-nonce': checkTimestampNonce,
  body: checkBody,
};

/** Signature, timestamp and body checks of every scheme; the replay store is left to the caller (sync or async). */
function check(
  rawBody: unknown,
  headers: WebhookHeaders,
  secret: Secrets,
  options: VerifyOptions | VerifyAsyncOptions,
): Verified {
  checkRawBody(rawBody);
  const scheme = options.scheme ?? 'standard';
  const run = Object.hasOwn(CHECKS, scheme) ? CHECKS[scheme] : undefined;
  if (!run) throw new TypeError(`verify: unknown scheme "${String(scheme)}"; use standard, timestamp-nonce or body`);
  const toleranceSeconds = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (!(toleranceSeconds >= 0)) throw new TypeError('verify: toleranceSeconds must be a number of seconds, 0 or more');
  return run({
    rawBody,
    headers,
    secrets: secretList(secret),
    names: signatureHeaderNames(options.headerPrefix ?? DEFAULT_HEADER_PREFIX),
    // Number() also turns a Date into milliseconds, for callers who pass () => new Date().
    now: Number(options.now ? options.now() : Date.now()),
    toleranceSeconds,
  });
}

function refuseReplay(seen: boolean): void {
  if (seen) fail('replayed', 'this message was accepted before: a replay');
}

/**
 * Verifies a delivery and returns its parsed JSON body. Throws WebhookVerificationError (with `reason`) when it
 * does not verify, and TypeError for a mistake in the call itself (no secret, unknown scheme).
 * `T` is not checked: it is the shape you expect (hookd's envelope by default).
 * Synchronous; with an asynchronous replay store use verifyAsync().
 */
export function verify<T = HookdEvent>(
  rawBody: RawBody,
  headers: WebhookHeaders,
  secret: Secrets,
  options: VerifyOptions = {},
): T {
  const { event, replay } = check(rawBody, headers, secret, options);
  if (replay && options.replayStore) {
    const seen = options.replayStore.seen(replay.key, replay.expiresAt, replay.now) as unknown;
    if (typeof seen !== 'boolean')
      throw new TypeError('verify: this replay store answers asynchronously; use verifyAsync()');
    refuseReplay(seen);
  }
  return event as T;
}

/** verify() for an asynchronous replay store (Redis, a database); the same checks and errors, as a promise. */
export async function verifyAsync<T = HookdEvent>(
  rawBody: RawBody,
  headers: WebhookHeaders,
  secret: Secrets,
  options: VerifyAsyncOptions = {},
): Promise<T> {
  const { event, replay } = check(rawBody, headers, secret, options);
  if (replay && options.replayStore)
    refuseReplay(await options.replayStore.seen(replay.key, replay.expiresAt, replay.now));
  return event as T;
}
