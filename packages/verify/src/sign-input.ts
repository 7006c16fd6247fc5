// Checks a sign() call field by field and settles its defaults, so a mistake is a TypeError naming the field.
import type { SignatureScheme } from './schemes.js';

const SCHEMES: readonly SignatureScheme[] = ['standard', 'timestamp-nonce', 'body', 'none'];
const WHSEC_PREFIX = 'whsec_';

/** A sign() call as it may come from JavaScript: every field unchecked. */
export interface UncheckedSignInput {
  scheme?: unknown;
  secret?: unknown;
  secrets?: unknown;
  body?: unknown;
  id?: unknown;
  timestamp?: unknown;
  headerPrefix?: unknown;
  nonce?: unknown;
}

/** A sign() call once checked. `id` and `timestamp` are '' and 0 where the scheme signs neither, as verify() passes them. */
export interface CheckedSignInput {
  scheme: SignatureScheme;
  secrets: string[];
  body: string | Uint8Array;
  id: string;
  timestamp: number;
  headerPrefix: string | undefined;
  nonce: string | undefined;
}

/** A wrong value as the message shows it: strings quoted, numbers as written, anything else by its type. */
function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return String(value);
  return value === null ? 'null' : typeof value;
}

function refuse(message: string): never {
  throw new TypeError(`sign: ${message}`);
}

function checkedScheme(scheme: unknown): SignatureScheme {
  if (scheme === undefined) return 'standard';
  if (typeof scheme === 'string' && (SCHEMES as readonly string[]).includes(scheme)) return scheme as SignatureScheme;
  return refuse(`unknown scheme ${shown(scheme)}; use standard, timestamp-nonce, body or none`);
}

/** `secret` (verify()'s name) or `secrets` (the earlier one): a string, or an array newest first while rotating. */
function checkedSecrets(input: UncheckedSignInput, scheme: SignatureScheme): string[] {
  if (input.secret !== undefined && input.secrets !== undefined) refuse('give secret or secrets, not both');
  const field = input.secrets !== undefined ? 'secrets' : 'secret';
  const given = input.secrets ?? input.secret;
  if (scheme === 'none') return [];
  if (given === undefined)
    refuse(`no secret given for scheme "${scheme}" (is the environment variable holding it set?)`);
  const list: unknown[] =
    typeof given === 'string'
      ? [given]
      : Array.isArray(given)
        ? given
        : refuse(`${field} must be a string or an array of strings, not ${typeof given}`);
  if (list.length === 0) refuse(`${field} is an empty array; give at least one secret`);
  return list.map((secret, index) => {
    const name = typeof given === 'string' ? field : `${field}[${index}]`;
    if (typeof secret !== 'string')
      return refuse(`${name} must be a string, not ${secret === null ? 'null' : typeof secret}`);
    // "whsec_" alone would decode to an empty HMAC key under the standard scheme.
    const key = scheme === 'standard' && secret.startsWith(WHSEC_PREFIX) ? secret.slice(WHSEC_PREFIX.length) : secret;
    if (key.length === 0) refuse(`${name} is empty`);
    return secret;
  });
}

function checkedBody(body: unknown): string | Uint8Array {
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  return refuse(
    `body must be the exact bytes sent, a string or Uint8Array, not ${body === null ? 'null' : typeof body}`,
  );
}

function checkedId(id: unknown, scheme: SignatureScheme): string {
  if (scheme !== 'standard') return typeof id === 'string' ? id : '';
  if (typeof id !== 'string' || id.length === 0)
    refuse('id (the message id, sent as webhook-id) is required by the standard scheme');
  return id;
}

function checkedTimestamp(timestamp: unknown, scheme: SignatureScheme): number {
  if (scheme === 'body' || scheme === 'none') return 0;
  if (timestamp === undefined) refuse(`timestamp (unix seconds) is required by the ${scheme} scheme`);
  if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp) || timestamp < 0) {
    refuse(`timestamp must be unix time in whole seconds, not ${shown(timestamp)}`);
  }
  return timestamp;
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  return refuse(`${field} must be a string, not ${value === null ? 'null' : typeof value}`);
}

/** A nonce given by the caller must be one a receiver can read back: a header value that is not empty. */
function checkedNonce(nonce: unknown): string | undefined {
  const checked = optionalString(nonce, 'nonce');
  if (checked === '') refuse('nonce is empty; leave it out for a fresh random one');
  return checked;
}

export function checkedSignInput(input: UncheckedSignInput): CheckedSignInput {
  if (typeof input !== 'object' || input === null)
    refuse('expects one object: { scheme, secret, body, id, timestamp }');
  const scheme = checkedScheme(input.scheme);
  return {
    scheme,
    secrets: checkedSecrets(input, scheme),
    body: checkedBody(input.body),
    id: checkedId(input.id, scheme),
    timestamp: checkedTimestamp(input.timestamp, scheme),
    headerPrefix: optionalString(input.headerPrefix, 'headerPrefix'),
    nonce: checkedNonce(input.nonce),
  };
}
