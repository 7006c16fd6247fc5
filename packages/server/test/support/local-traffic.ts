// Keeps fuzzed requests from making hookd send anything off this machine: every http(s) URL in a body becomes the test's receiver.
import { nestingDepth } from '../../src/api/json-depth.js';
import type { FuzzRequest } from './request-arbitraries.js';

/** Whether `text` parses (as hookd parses URLs) to an http(s) URL anywhere but `receiver`. */
function leavesReceiver(text: string, receiver: URL): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.host !== receiver.host;
}

/**
 * A JSON Schema's `$schema` names its dialect by the meta-schema's URI, which Ajv knows without fetching it; rewritten,
 * the fuzz would never reach the 2020-12 dialect.
 */
const isMetaSchemaUri = (key: string, text: string) => key === '$schema' && /^https?:\/\/json-schema\.org\//.test(text);

function localized(value: unknown, receiver: URL, key = ''): { value: unknown; changed: boolean } {
  if (typeof value === 'string') {
    return leavesReceiver(value, receiver) && !isMetaSchemaUri(key, value)
      ? { value: receiver.href, changed: true }
      : { value, changed: false };
  }
  if (typeof value !== 'object' || value === null) return { value, changed: false };
  let changed = false;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [] : {};
  for (const [name, child] of Object.entries(value)) {
    const inner = localized(child, receiver, name);
    changed ||= inner.changed;
    Object.defineProperty(copy, name, { value: inner.value, enumerable: true, writable: true, configurable: true });
  }
  return { value: copy, changed };
}

/**
 * The request with each URL in its body that would reach past `receiverUrl` replaced by it. Bodies are read as the
 * server reads them (UTF-8, invalid bytes replaced), so a body the server could parse is checked whatever it looks like.
 */
export function keepTrafficLocal(request: FuzzRequest, receiverUrl: string): FuzzRequest {
  if (request.payload === undefined) return request;
  const text = typeof request.payload === 'string' ? request.payload : request.payload.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return request;
  }
  // The server refuses bodies this deep before reading them (and walking them here could overflow the stack).
  if (nestingDepth(parsed) > 64) return request;
  const { value, changed } = localized(parsed, new URL(receiverUrl));
  return changed ? { ...request, payload: JSON.stringify(value) } : request;
}
