// Produces the signature headers of every scheme: the one signing implementation, used by the hookd server too.
import { Buffer } from 'node:buffer';
import { createHmac, randomBytes } from 'node:crypto';
import { checkedSignInput } from './sign-input.js';
import { signatureHeaderNames, type SignatureScheme } from './schemes.js';

const WHSEC_PREFIX = 'whsec_';

/** What sign() signs; the secret comes separately, as `secret` or `secrets` (see SignInput). */
export interface SignedMessage {
  /** Default "standard", as for verify(). */
  scheme?: SignatureScheme;
  /** The exact body bytes sent. */
  body: string | Uint8Array;
  /** Message id: the event id (standard scheme's webhook-id). Required by "standard" only. */
  id?: string;
  /** Unix seconds of this attempt. Required by "standard" and "timestamp-nonce". */
  timestamp?: number;
  headerPrefix?: string;
  /** timestamp-nonce only: a fresh random nonce is made when left out. */
  nonce?: string;
}

/**
 * sign()'s argument. `secret` is verify()'s name and shape: one secret, or several newest first while rotating
 * (the old one follows the new one). `secrets` is the earlier name, kept working.
 */
export type SignInput = SignedMessage &
  ({ secret: string | readonly string[]; secrets?: never } | { secrets: string | readonly string[]; secret?: never });

/** The HMAC key of a secret under a scheme: standard decodes the base64 after "whsec_", the others use the UTF-8 string. */
export function signingKey(scheme: SignatureScheme, secret: string): Buffer {
  if (scheme === 'standard') {
    const encoded = secret.startsWith(WHSEC_PREFIX) ? secret.slice(WHSEC_PREFIX.length) : secret;
    return Buffer.from(encoded, 'base64');
  }
  return Buffer.from(secret, 'utf8');
}

// A sender signs with the same few secrets over and over: decode each once. Bounded, so rotated-away secrets go.
const KEY_CACHE_LIMIT = 1_000;
const keyCache = new Map<string, Buffer>();

function cachedSigningKey(scheme: SignatureScheme, secret: string): Buffer {
  const cacheKey = `${scheme === 'standard' ? 's' : 'u'}:${secret}`;
  let key = keyCache.get(cacheKey);
  if (!key) {
    if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.delete(keyCache.keys().next().value!);
    key = signingKey(scheme, secret);
    keyCache.set(cacheKey, key);
  }
  return key;
}

function hmac(key: Buffer, parts: readonly (string | Uint8Array)[]): Buffer {
  const mac = createHmac('sha256', key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/** What each scheme signs, in order (the parts are hashed as one string of bytes). */
export function signedParts(
  input: Pick<SignatureInput, 'body' | 'id' | 'timestamp' | 'nonce'> & { scheme: SignatureScheme },
): (string | Uint8Array)[] {
  switch (input.scheme) {
    case 'standard':
      return [`${input.id}.${input.timestamp}.`, input.body];
    case 'timestamp-nonce':
      return [`${input.timestamp}.${input.nonce ?? ''}.`, input.body];
    case 'body':
    case 'none':
      return [input.body];
  }
}

export function newNonce(): string {
  return randomBytes(16).toString('hex');
}

/** What one secret's signature is computed from; `nonce` only matters to timestamp-nonce. */
export interface SignatureInput {
  scheme: Exclude<SignatureScheme, 'none'>;
  secret: string;
  body: string | Uint8Array;
  id: string;
  timestamp: number;
  nonce?: string | undefined;
}

/** One secret's signature as its header carries it: `v1,<base64>` (standard), `<hex>` (timestamp-nonce), `sha256=<hex>` (body). */
export function signatureFor(input: SignatureInput): string {
  const mac = hmac(cachedSigningKey(input.scheme, input.secret), signedParts(input));
  switch (input.scheme) {
    case 'standard':
      return `v1,${mac.toString('base64')}`;
    case 'timestamp-nonce':
      return mac.toString('hex');
    case 'body':
      return `sha256=${mac.toString('hex')}`;
  }
}

/**
 * The headers that sign one attempt. Scheme "none" signs nothing and returns no headers. A mistake in the call (no
 * secret, an empty one, an unknown scheme, no id or timestamp where the scheme signs them) throws a TypeError.
 */
export function sign(input: SignInput): Record<string, string> {
  const checked = checkedSignInput(input);
  const { scheme } = checked;
  if (scheme === 'none') return {};
  const names = signatureHeaderNames(checked.headerPrefix);
  const nonce = scheme === 'timestamp-nonce' ? (checked.nonce ?? newNonce()) : undefined;
  const signatures = checked.secrets.map((secret) =>
    signatureFor({ scheme, secret, body: checked.body, id: checked.id, timestamp: checked.timestamp, nonce }),
  );
  switch (scheme) {
    case 'standard':
      return {
        [names.standardId]: checked.id,
        [names.standardTimestamp]: String(checked.timestamp),
        [names.standardSignature]: signatures.join(' '),
      };
    case 'timestamp-nonce':
      return {
        ...singleSignatureHeaders(names, signatures),
        [names.timestamp]: String(checked.timestamp),
        [names.nonce]: nonce!,
      };
    case 'body':
      return singleSignatureHeaders(names, signatures);
  }
}

/**
 * Schemes whose receivers compare one signature: the newest secret signs the main header (receivers copy the
 * new secret when they rotate), and the previous secret, while still valid, signs a second header.
 */
function singleSignatureHeaders(
  names: ReturnType<typeof signatureHeaderNames>,
  [newest, previous]: string[],
): Record<string, string> {
  return previous === undefined
    ? { [names.signature]: newest! }
    : { [names.signature]: newest!, [names.previousSignature]: previous };
}
