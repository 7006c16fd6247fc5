// Request and response shapes of events, deliveries and attempts.
import { Type, type Static } from '@sinclair/typebox';
import { DELIVERY_STATUSES } from '../../domain/delivery.js';
import { OPTIONAL_ENVELOPE_FIELDS } from '../../domain/envelope.js';
import { DEFAULT_PAGE_LIMIT, Nullable, PageQuery, StringEnum, Timestamp } from './common.js';

const AnyJson = Type.Unsafe<unknown>({ description: 'any JSON value' });

/** Published as given, delivered in the envelope when present. */
const OptionalJson = Type.Optional(AnyJson);
const optionalEnvelopeFields = Object.fromEntries(
  OPTIONAL_ENVELOPE_FIELDS.map((field) => [field, OptionalJson]),
) as Record<(typeof OPTIONAL_ENVELOPE_FIELDS)[number], typeof OptionalJson>;

export const PublishBody = Type.Object(
  {
    type: Type.Optional(Type.String({ maxLength: 128, example: 'conversation.created' })),
    event: Type.Optional(Type.String({ maxLength: 128, description: 'accepted for `type`' })),
    data: AnyJson,
    id: Type.Optional(
      Type.String({ maxLength: 255, description: 'your id for the event; a repeated id delivers nothing again' }),
    ),
    ...optionalEnvelopeFields,
  },
  { additionalProperties: false },
);
export type PublishBody = Static<typeof PublishBody>;

export const PublishResponse = Type.Object({ id: Type.String(), type: Type.String(), deliveries: Type.Integer() });

export const EventParams = Type.Object({ id: Type.String({ maxLength: 255 }) });
export type EventParams = Static<typeof EventParams>;

export const EventResponse = Type.Object(
  {
    id: Type.String(),
    type: Type.String(),
    timestamp: Timestamp,
    data: AnyJson,
    ...optionalEnvelopeFields,
    deliveries: Type.Integer({ description: 'deliveries made when it was published' }),
  },
  { $id: 'Event' },
);

/**
 * A page of events ends at `limit` events or once their data passes 1 MiB, whichever comes first (always one event).
 * Events are up to 256 KiB each, so 100 of them made a 25.5 MB answer that stalled the server 2.2 s and kept 600 MB;
 * a 1 MiB page (at most 1.25 MiB with its last event) is four big events, or a full page of ordinary ones.
 */
export const EVENT_PAGE_DATA_BYTES = 1024 * 1024;

export const EventPageQuery = Type.Object({
  ...PageQuery.properties,
  limit: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 100,
      default: DEFAULT_PAGE_LIMIT,
      description:
        "events per page at most; a page also ends once its events' data passes 1 MiB (it always holds one event): follow nextCursor",
    }),
  ),
});

export const DeliveryQuery = Type.Object({
  ...PageQuery.properties,
  status: Type.Optional(StringEnum(DELIVERY_STATUSES)),
  event: Type.Optional(Type.String({ maxLength: 128, description: 'event type' })),
  eventId: Type.Optional(Type.String({ maxLength: 255, description: "the event's id: its delivery to this webhook" })),
});
export type DeliveryQuery = Static<typeof DeliveryQuery>;

export const DeliveryParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
export type DeliveryParams = Static<typeof DeliveryParams>;

export const DeliveryResponse = Type.Object(
  {
    id: Type.String({ example: 'dlv_01JZ...' }),
    webhookId: Type.String(),
    eventId: Type.String(),
    event: Type.String({ description: 'event type' }),
    timestamp: Timestamp,
    status: StringEnum(DELIVERY_STATUSES),
    responseStatus: Nullable(Type.Integer()),
    responseTime: Nullable(Type.Integer({ description: 'ms, last attempt' })),
    attempts: Type.Integer(),
    lastError: Nullable(Type.String()),
    nextAttemptAt: Nullable(Timestamp),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    body: Type.Optional(
      Nullable(
        Type.String({
          description:
            'GET /deliveries/{id} only: the exact bytes every attempt POSTs (what the signature covers); null when its event is gone',
        }),
      ),
    ),
  },
  { $id: 'Delivery' },
);

export const AttemptResponse = Type.Object(
  {
    attemptedAt: Timestamp,
    durationMs: Type.Integer(),
    requestHeaders: Type.Record(Type.String(), Type.String()),
    responseStatus: Nullable(Type.Integer()),
    responseHeaders: Nullable(Type.Record(Type.String(), Type.String())),
    responseBody: Nullable(Type.String({ description: 'first 4 KiB' })),
    error: Nullable(Type.String()),
  },
  { $id: 'Attempt' },
);

export const RedeliverBody = Type.Object(
  { since: Type.Optional(Type.String({ format: 'date-time', description: 'only deliveries created since' })) },
  { additionalProperties: false },
);
export type RedeliverBody = Static<typeof RedeliverBody>;
