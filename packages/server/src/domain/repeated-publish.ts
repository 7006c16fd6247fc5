// Whether a publish repeats the one that first used its event id or Idempotency-Key, or is another request under it.
import { OPTIONAL_ENVELOPE_FIELDS, type EnvelopeExtras, type EventRecord } from './envelope.js';

/** What a publish asks to deliver: every field that reaches the envelope and that the publisher chose. */
export interface PublishRequest {
  /** Left out when the publisher let hookd make the id. */
  id: string | undefined;
  type: string;
  data: unknown;
  extras: EnvelopeExtras;
}

/**
 * The fields in which `request` differs from `earlier`, the event first published under its id or key; none when it
 * is the same request sent again. As Stripe compares a whole repeated request, every field the publisher sets is
 * compared, not only type and data: each one reaches the receiver in the envelope, so a change to `metadata` or
 * `source` would otherwise be dropped without a word. JSON values compare by content (object keys in any order).
 * Not compared: what hookd decides (the time, a generated id), so a request that left `id` out matches any id.
 */
export function differingFields(request: PublishRequest, earlier: EventRecord): string[] {
  const differing: string[] = [];
  if (request.id !== undefined && request.id !== earlier.id) differing.push('id');
  if (request.type !== earlier.type) differing.push('type');
  if (!sameJson(asStored(request.data), JSON.parse(earlier.dataJson))) differing.push('data');
  for (const field of OPTIONAL_ENVELOPE_FIELDS) {
    const given = field in request.extras;
    if (
      given !== field in earlier.extras ||
      (given && !sameJson(asStored(request.extras[field]), earlier.extras[field]))
    )
      differing.push(field);
  }
  return differing;
}

/**
 * A value as it reads back once stored: data and extras are kept as JSON.stringify wrote them, which turns numbers
 * JSON cannot hold (1e400 parses as Infinity) into null and -0 into 0, so the same request sent again must be
 * compared in that form, not as parsed.
 */
function asStored(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text === undefined ? undefined : JSON.parse(text);
}

/** Equality of two parsed JSON values; walks with a stack, not recursion, however deep they nest. */
export function sameJson(a: unknown, b: unknown): boolean {
  const pairs: [unknown, unknown][] = [[a, b]];
  while (pairs.length > 0) {
    const [left, right] = pairs.pop()!;
    if (left === right) continue;
    if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) return false;
    if (Array.isArray(left) !== Array.isArray(right)) return false;
    const leftRecord = left as Record<string, unknown>;
    const rightRecord = right as Record<string, unknown>;
    const keys = Object.keys(leftRecord);
    if (keys.length !== Object.keys(rightRecord).length) return false;
    for (const key of keys) {
      if (!Object.hasOwn(rightRecord, key)) return false;
      pairs.push([leftRecord[key], rightRecord[key]]);
    }
  }
  return true;
}
