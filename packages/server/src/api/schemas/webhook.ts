// Request and response shapes of /webhooks.
import { Type, type Static } from '@sinclair/typebox';
import { MASKED_HEADER_VALUE } from '../../domain/masked-headers.js';
import { ORDERINGS, SIGNATURE_SCHEMES, WEBHOOK_STATUSES } from '../../domain/webhook.js';
import { Nullable, StringEnum, Timestamp } from './common.js';

const Duration = Type.String({
  maxLength: 16,
  description: 'a whole number and a unit: ms, s, m, h or d',
  example: '30s',
});

const fields = {
  url: Type.String({ maxLength: 2048, description: 'http(s) URL the deliveries are POSTed to' }),
  description: Type.String({ maxLength: 1024 }),
  events: Type.Array(Type.String({ maxLength: 130 }), {
    description: 'exact names, "prefix.*" or "*"',
    example: ['conversation.created', 'message.*'],
  }),
  active: Type.Boolean({
    description:
      'false pauses deliveries; events published meanwhile are delivered on re-activation. true on a disabled webhook (auto-disabled, or by a 410) re-enables it: healthy again, and its queued deliveries go out',
  }),
  headers: Type.Record(Type.String(), Type.String(), {
    description:
      `extra headers sent with every delivery. Answers show each value as "${MASKED_HEADER_VALUE}", never the value itself. ` +
      `The set sent replaces the stored one; on a change, a header sent with the value "${MASKED_HEADER_VALUE}" keeps its stored value, ` +
      'so a webhook read and sent back as it is keeps its headers.',
    example: { Authorization: 'Bearer …' },
  }),
  signature: Type.Object(
    {
      scheme: Type.Optional(StringEnum(SIGNATURE_SCHEMES)),
      headerPrefix: Type.Optional(Type.String({ maxLength: 64, example: 'X-Webhook-' })),
    },
    { additionalProperties: false },
  ),
  retry: Type.Object(
    {
      schedule: Type.Optional(
        Type.Array(Duration, {
          description: 'wait before each retry',
          example: ['5s', '5m', '30m', '2h', '5h', '10h', '10h'],
        }),
      ),
      retryOn4xx: Type.Optional(
        Type.Boolean({ description: 'false: a 4xx other than 408 and 429 ends the delivery at once' }),
      ),
    },
    { additionalProperties: false },
  ),
  timeout: Type.String({ maxLength: 16, description: 'per attempt, 1s to 60s', example: '30s' }),
  rateLimit: Nullable(
    Type.Integer({ minimum: 1, maximum: 100_000, description: 'deliveries per second at most; null: no cap' }),
  ),
  ordering: StringEnum(ORDERINGS, { description: '"fifo": one at a time, in publish order' }),
  filter: Nullable(
    Type.Object(
      {},
      { additionalProperties: true, description: 'condition on the envelope, e.g. {"data.amount": {"$gt": 100}}' },
    ),
  ),
  autoDisableAfter: Nullable(
    Type.String({
      maxLength: 16,
      description:
        'disable the webhook once its attempts have failed without a single success for this long, 1m to 90d (e.g. "5d"); "never": not even when its workspace sets a limit; null: the workspace\'s autoDisableAfter. Its queued deliveries are kept and go out when it is turned back on (`active: true`)',
      example: '5d',
    }),
  ),
};

const optionalFields = {
  description: Type.Optional(fields.description),
  events: Type.Optional(fields.events),
  active: Type.Optional(fields.active),
  headers: Type.Optional(fields.headers),
  signature: Type.Optional(fields.signature),
  retry: Type.Optional(fields.retry),
  timeout: Type.Optional(fields.timeout),
  rateLimit: Type.Optional(fields.rateLimit),
  ordering: Type.Optional(fields.ordering),
  filter: Type.Optional(fields.filter),
  autoDisableAfter: Type.Optional(fields.autoDisableAfter),
};

export const CreateWebhookBody = Type.Object(
  {
    url: fields.url,
    ...optionalFields,
    secret: Type.Optional(Type.String({ maxLength: 256, description: 'default: a generated whsec_ secret' })),
    verify: Type.Optional(
      Type.Boolean({ description: 'send a test event first; refuse (422) an endpoint that does not answer 2xx' }),
    ),
  },
  { additionalProperties: false },
);
export type CreateWebhookBody = Static<typeof CreateWebhookBody>;

export const UpdateWebhookBody = Type.Object(
  { url: Type.Optional(fields.url), ...optionalFields },
  { additionalProperties: false },
);
export type UpdateWebhookBody = Static<typeof UpdateWebhookBody>;

export const RotateSecretBody = Type.Object(
  { secret: Type.Optional(Type.String({ maxLength: 256, description: 'default: a generated whsec_ secret' })) },
  { additionalProperties: false },
);
export type RotateSecretBody = Static<typeof RotateSecretBody>;

export const WebhookParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
export type WebhookParams = Static<typeof WebhookParams>;

export const WebhookResponse = Type.Object(
  {
    id: Type.String({ example: 'wh_01JZ...' }),
    url: fields.url,
    description: fields.description,
    events: fields.events,
    active: fields.active,
    status: StringEnum(WEBHOOK_STATUSES),
    headers: fields.headers,
    signature: Type.Object({ scheme: StringEnum(SIGNATURE_SCHEMES), headerPrefix: Type.String() }),
    retry: Type.Object({ schedule: Type.Array(Type.String()), retryOn4xx: Type.Boolean() }),
    timeout: fields.timeout,
    rateLimit: fields.rateLimit,
    ordering: fields.ordering,
    filter: Nullable(Type.Object({}, { additionalProperties: true })),
    autoDisableAfter: fields.autoDisableAfter,
    failingSince: Nullable({
      ...Timestamp,
      description:
        'when the first failed attempt since the last success was made ("Send test" aside): auto-disable counts from here; null: not failing',
    }),
    secret: Type.Optional(
      Type.String({
        description: 'present only when the secret was just made: on create, rotate, or a change from scheme "none"',
      }),
    ),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'Webhook' },
);
