// The spans of hookd's work, made after the fact from what the publish and delivery paths note (OperationCounters):
// each one's start and end are known by then, so nothing on the hot path waits for, or even starts, a span.
// Only loaded with the SDK (otel-sdk.ts), when HOOKD_OTEL_ENDPOINT is set.
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  trace,
  type Attributes,
  type Span,
  type SpanOptions,
  type Tracer,
} from '@opentelemetry/api';
import type { AttemptRecord, ClaimedDelivery } from '../domain/delivery.js';
import type { EventRecord } from '../domain/envelope.js';
import type { OperationCounters } from '../services/operation-counters.js';
import { attemptErrorClass } from './attempt-error-class.js';
import { eventTraceIds, type EventTraceIds } from './trace-ids.js';

/**
 * The ids the next root span takes (read by the provider's id generator while startSpan runs), then cleared; without
 * a spanId, the span's id is random.
 */
export interface PresetIds {
  next: { traceId: string; spanId?: string } | undefined;
}

/** Whether an event's spans are sent: decided from its trace id, so every process decides alike for one event. */
function sampled(ids: EventTraceIds, ratio: number): boolean {
  return ratio >= 1 || Number.parseInt(ids.traceId.slice(0, 8), 16) < ratio * 2 ** 32;
}

/** Only ids, types, counts and outcomes: never a URL, a header value, a body, an error's text or a secret. */
function publishAttributes(event: EventRecord): Attributes {
  return {
    'hookd.workspace.id': event.workspaceId,
    'hookd.event.id': event.id,
    'hookd.event.type': event.type,
    'hookd.event.deliveries': event.deliveryCount,
  };
}

function attemptAttributes(claim: ClaimedDelivery, record: AttemptRecord): Attributes {
  const { attempt } = record;
  const attributes: Attributes = {
    'hookd.workspace.id': claim.event.workspaceId,
    'hookd.event.id': claim.event.id,
    'hookd.delivery.id': claim.id,
    'hookd.delivery.kind': claim.kind,
    'hookd.webhook.id': claim.webhook.id,
    'hookd.attempt.number': claim.attempts + 1,
    'hookd.attempt.duration_ms': attempt.durationMs,
    // What follows the attempt: success, pending (a retry is scheduled) or failed (no retry left).
    'hookd.delivery.status': record.status,
  };
  if (attempt.responseStatus !== null) attributes['http.response.status_code'] = attempt.responseStatus;
  const errorClass = attemptErrorClass(attempt.responseStatus, attempt.error);
  if (errorClass !== undefined) attributes['error.type'] = errorClass;
  return attributes;
}

/**
 * The publish span is the root of its event's trace, with ids derived from the event (trace-ids.ts); each attempt's
 * span is its child, found from the event alone, whichever process or day the attempt happens in. A "Send test"
 * delivery's event is never published: its attempts are roots in the test event's trace.
 */
export function spanCounters(
  tracer: Tracer,
  preset: PresetIds,
  sampleRatio: number,
  now: () => number = Date.now,
): OperationCounters {
  /** Starts a root span with these ids (of which a missing span id is random). */
  const startRoot = (ids: NonNullable<PresetIds['next']>, name: string, options: SpanOptions): Span => {
    preset.next = ids;
    try {
      return tracer.startSpan(name, options, ROOT_CONTEXT);
    } finally {
      preset.next = undefined;
    }
  };
  return {
    eventPublished(event) {
      const ids = eventTraceIds(event.workspaceId, event.id);
      if (!sampled(ids, sampleRatio)) return;
      // From the event's creation (before matching webhooks) to the commit of the event and its deliveries.
      const options = { kind: SpanKind.PRODUCER, startTime: event.createdAt, attributes: publishAttributes(event) };
      const span = startRoot(ids, 'hookd.publish', options);
      span.end(new Date(Math.max(now(), event.createdAt.getTime())));
    },
    attemptRecorded(claim, record) {
      const ids = eventTraceIds(claim.event.workspaceId, claim.event.id);
      if (!sampled(ids, sampleRatio)) return;
      const { attempt } = record;
      const attributes = attemptAttributes(claim, record);
      const options = { kind: SpanKind.CLIENT, startTime: attempt.attemptedAt, attributes };
      const span =
        claim.kind === 'test'
          ? startRoot({ traceId: ids.traceId }, 'hookd.delivery.attempt', options)
          : tracer.startSpan(
              'hookd.delivery.attempt',
              options,
              trace.setSpanContext(ROOT_CONTEXT, { ...ids, traceFlags: TraceFlags.SAMPLED, isRemote: true }),
            );
      if (attributes['error.type'] !== undefined)
        span.setStatus({ code: SpanStatusCode.ERROR, message: String(attributes['error.type']) });
      // A Date, not a number: the SDK reads a number before the process started as a performance.now() time.
      span.end(new Date(attempt.attemptedAt.getTime() + attempt.durationMs));
    },
  };
}
