// The event as delivered: one JSON body per delivery, byte-identical on every attempt.

/** Fields a publisher may add; each appears in the envelope only when it was published (null included). */
export const OPTIONAL_ENVELOPE_FIELDS = ['source', 'resourceType', 'resourceId', 'changes', 'metadata', 'apiVersion'] as const;
export type OptionalEnvelopeField = (typeof OPTIONAL_ENVELOPE_FIELDS)[number];
export type EnvelopeExtras = Partial<Record<OptionalEnvelopeField, unknown>>;

export interface EventRecord {
  id: string;
  workspaceId: string;
  type: string;
  timestamp: Date;
  /** `data` exactly as stored: JSON text produced by JSON.stringify, so re-reading it changes no byte. */
  dataJson: string;
  extras: EnvelopeExtras;
  idempotencyKey: string | null;
  /** Deliveries made when it was published (the publish answer, repeated for a replayed publish). */
  deliveryCount: number;
  createdAt: Date;
}

/** The envelope as an object (what the receiver parses), for webhook filters; the same fields as envelopeBody. */
export function envelopeObject(event: EventRecord, webhookId: string): Record<string, unknown> {
  return JSON.parse(envelopeBody(event, webhookId)) as Record<string, unknown>;
}

/**
 * The body POSTed to one webhook. Field order is fixed and `data` is spliced in as stored, so the same
 * event and webhook always give the same bytes: what the signature covers and what receivers dedupe.
 */
export function envelopeBody(event: EventRecord, webhookId: string): string {
  let body =
    `{"id":${JSON.stringify(event.id)},"type":${JSON.stringify(event.type)},"event":${JSON.stringify(event.type)}` +
    `,"timestamp":"${event.timestamp.toISOString()}","workspaceId":${JSON.stringify(event.workspaceId)}` +
    `,"webhookId":${JSON.stringify(webhookId)}`;
  for (const field of ['source', 'resourceType', 'resourceId', 'changes'] as const) {
    if (field in event.extras) body += `,"${field}":${JSON.stringify(event.extras[field] ?? null)}`;
  }
  body += `,"data":${event.dataJson}`;
  for (const field of ['metadata', 'apiVersion'] as const) {
    if (field in event.extras) body += `,"${field}":${JSON.stringify(event.extras[field] ?? null)}`;
  }
  return body + '}';
}
