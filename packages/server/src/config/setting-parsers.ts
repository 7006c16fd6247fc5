// The parsers of setting values: each takes the raw text of a flag or variable and returns the value, or throws an
// Error whose message says what is wrong (load-config.ts adds which flag or variable it came from).
import { isIP } from 'node:net';
import { PORTAL_TOKEN_PREFIX } from '../domain/browser-session.js';
import { durationProblem, parseDuration } from '../domain/duration.js';
import { ENCRYPTION_KEY_BYTES } from '../domain/secret-encryption.js';

export function integer(min: number, max: number) {
  return (text: string): number => {
    if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max)
      throw new Error(`must be a whole number from ${min} to ${max}`);
    return Number(text);
  };
}

/** A fraction from 0 to 1: "0.1", "1", "0". */
export function fraction(text: string): number {
  if (!/^(0|1)(\.\d+)?$|^\.\d+$/.test(text) || Number(text) > 1) throw new Error('must be a number from 0 to 1');
  return Number(text);
}

export function boolean(text: string): boolean {
  if (['1', 'true', 'yes', 'on'].includes(text.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(text.toLowerCase())) return false;
  throw new Error('must be true or false');
}

export function oneOf<T extends string>(values: readonly T[]) {
  return (text: string): T => {
    if (!(values as readonly string[]).includes(text)) throw new Error(`must be one of ${values.join(', ')}`);
    return text as T;
  };
}

/** "10.0.0.0/8", "::1/128", or a bare address (a single host). */
export function parseCidr(text: string): string {
  const [address = '', prefix, ...rest] = text.trim().split('/');
  const family = isIP(address);
  const maxPrefix = family === 4 ? 32 : 128;
  if (family === 0 || rest.length > 0) throw new Error(`"${text}" is not a CIDR such as 10.0.0.0/8 or fd00::/8`);
  if (prefix !== undefined && (!/^\d+$/.test(prefix) || Number(prefix) > maxPrefix)) {
    throw new Error(`"${text}" has a prefix length outside 0-${maxPrefix}`);
  }
  return `${address}/${prefix ?? maxPrefix}`;
}

export function cidrList(text: string): string[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map(parseCidr);
}

/** "10.0.0.2", "10.0.0.2:5353", "fd00::53" or "[fd00::53]:5353": a DNS server as c-ares's setServers takes it. */
export function parseDnsServer(text: string): string {
  const server = text.trim();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(server);
  const withPort = /^([\d.]+):(\d+)$/.exec(server);
  const [address, port] = bracketed
    ? [bracketed[1]!, bracketed[2]]
    : withPort
      ? [withPort[1]!, withPort[2]]
      : [server, undefined];
  if (isIP(address) === 0 || (bracketed && isIP(address) !== 6))
    throw new Error(`"${text}" is not a DNS server address such as 10.0.0.2, 10.0.0.2:5353 or [fd00::53]:53`);
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535))
    throw new Error(`"${text}" has a port outside 1-65535`);
  return server;
}

export function dnsServerList(text: string): string[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map(parseDnsServer);
}

/** A duration such as "30s" within [minMs, maxMs], as milliseconds. */
export function duration(minMs: number, maxMs: number) {
  return (text: string): number => {
    const problem = durationProblem(text, minMs, maxMs);
    if (problem) throw new Error(problem);
    return parseDuration(text)!;
  };
}

export function bootstrapKey(text: string): string {
  if (text.length < 16 || /\s/.test(text)) throw new Error('must be at least 16 characters with no spaces');
  // The API reads a bearer token with this prefix as a portal link, never as a key: such a key could not log in.
  if (text.startsWith(PORTAL_TOKEN_PREFIX))
    throw new Error(`must not start with "${PORTAL_TOKEN_PREFIX}", the prefix of portal link tokens`);
  return text;
}

/** 32 random bytes in base64 (`openssl rand -base64 32`); Buffer.from alone would take any text and drop what it cannot read. */
export function encryptionKey(text: string): Buffer {
  const trimmed = text.trim();
  const bytes = /^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed) ? Buffer.from(trimmed, 'base64') : Buffer.alloc(0);
  if (bytes.length !== ENCRYPTION_KEY_BYTES)
    throw new Error(`must be ${ENCRYPTION_KEY_BYTES} random bytes in base64, e.g. from \`openssl rand -base64 32\``);
  return bytes;
}

export function encryptionKeyList(text: string): Buffer[] {
  return text
    .split(',')
    .filter((part) => part.trim().length > 0)
    .map(encryptionKey);
}

export function nonEmpty(text: string): string {
  if (text.trim() === '') throw new Error('must not be empty');
  return text;
}

/** An http(s) URL of an origin, perhaps with a path prefix (behind a proxy); kept without a trailing slash. */
export function publicUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`"${text}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('must be an http:// or https:// URL');
  if (url.search || url.hash || url.username || url.password)
    throw new Error('must hold no query, fragment or credentials');
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/** A duration, or "0"/"off" for none (kept forever). */
export function retention(text: string): number | undefined {
  if (text === '0' || text.toLowerCase() === 'off') return undefined;
  return duration(3_600_000, 3_650 * 86_400_000)(text);
}
