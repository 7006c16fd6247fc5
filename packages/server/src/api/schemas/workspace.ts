// Request and response shapes of /workspaces, their keys, and /event-types.
import { Type, type Static } from '@sinclair/typebox';
import { Nullable, Timestamp } from './common.js';

const ALERTS =
  'when one of its webhooks turns failing (a delivery failed after its last retry), is disabled or recovers';
const workspaceFields = {
  name: Type.String({ maxLength: 64 }),
  alertEmail: Nullable(
    Type.String({
      maxLength: 254,
      description: `gets an email ${ALERTS}, through the server's SMTP server (HOOKD_SMTP_URL; none: no email)`,
    }),
  ),
  alertUrl: Nullable(
    Type.String({
      maxLength: 2048,
      description: `gets a signed POST of an operational event (webhook.failing, webhook.disabled, webhook.recovered; the Standard Webhooks envelope and headers) ${ALERTS}. The response that first sets it holds alertSecret, the secret that signs them`,
    }),
  ),
  autoDisableAfter: Nullable(
    Type.String({
      maxLength: 16,
      description:
        'disable a webhook once its attempts have failed without a single success for this long, 1m to 90d (e.g. "5d"), unless the webhook sets its own; null: never',
    }),
  ),
  portalOrigins: Type.Array(Type.String({ maxLength: 2048 }), {
    maxItems: 20,
    description: 'origins (https://app.example.com) whose pages may embed the portal in an iframe',
  }),
  accentColor: Nullable(
    Type.String({ maxLength: 7, description: 'the dashboard and portal accent colour, #rrggbb; null: the default' }),
  ),
};

export const CreateWorkspaceBody = Type.Object(
  {
    name: workspaceFields.name,
    alertEmail: Type.Optional(workspaceFields.alertEmail),
    alertUrl: Type.Optional(workspaceFields.alertUrl),
    autoDisableAfter: Type.Optional(workspaceFields.autoDisableAfter),
    portalOrigins: Type.Optional(workspaceFields.portalOrigins),
    accentColor: Type.Optional(workspaceFields.accentColor),
  },
  { additionalProperties: false },
);
export type CreateWorkspaceBody = Static<typeof CreateWorkspaceBody>;

export const UpdateWorkspaceBody = Type.Partial(CreateWorkspaceBody, { additionalProperties: false });
export type UpdateWorkspaceBody = Static<typeof UpdateWorkspaceBody>;

export const WorkspaceParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
export type WorkspaceParams = Static<typeof WorkspaceParams>;

const alertSecret = Type.String({
  description:
    'whsec_…: verifies the operational events POSTed to alertUrl (the Standard Webhooks scheme). Shown only in the response that makes it: the one that first sets an alertUrl, and POST /workspaces/{id}/alert-secret',
});

export const WorkspaceResponse = Type.Object(
  {
    id: Type.String(),
    ...workspaceFields,
    alertSecret: Type.Optional(alertSecret),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'Workspace' },
);

export const AlertSecretResponse = Type.Object({ alertSecret }, { $id: 'AlertSecret' });
export const RotateAlertSecretBody = Type.Optional(Type.Object({}, { additionalProperties: false }));

export const CreateApiKeyBody = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 128 })),
    admin: Type.Optional(Type.Boolean({ description: 'may also manage workspaces' })),
  },
  { additionalProperties: false },
);
export type CreateApiKeyBody = Static<typeof CreateApiKeyBody>;

/** What a key response always holds; the key itself only on create. */
const apiKeyFields = { id: Type.String(), workspaceId: Type.String(), name: Type.String(), admin: Type.Boolean() };

export const ApiKeyResponse = Type.Object(
  {
    ...apiKeyFields,
    key: Type.String({ description: 'shown this once; only its hash is stored' }),
    createdAt: Timestamp,
  },
  { $id: 'ApiKey' },
);

export const ApiKeyParams = Type.Object({ id: Type.String({ maxLength: 64 }), keyId: Type.String({ maxLength: 64 }) });
export type ApiKeyParams = Static<typeof ApiKeyParams>;

/** A key as listed: never the key itself, nor its hash. */
export const ApiKeySummaryResponse = Type.Object(
  {
    ...apiKeyFields,
    createdAt: Timestamp,
    lastUsedAt: Nullable({
      ...Timestamp,
      description: 'when the key last authenticated a request, to within a minute; null: never',
    }),
  },
  { $id: 'ApiKeySummary' },
);

export const CreateEventTypeBody = Type.Object(
  {
    name: Type.String({ maxLength: 128, example: 'conversation.created' }),
    description: Type.Optional(Type.String({ maxLength: 1024 })),
    schema: Type.Optional(
      Nullable(
        Type.Object(
          {},
          {
            additionalProperties: true,
            description:
              'JSON Schema (draft-07, or 2020-12 when $schema says so) that published data must match. At most 64 KiB, 32 schemas deep, 500 subschemas (true and false in lists and maps count) and 256 items in any array; patterns run on RE2 (no backreferences or lookaround); formats are not checked; $async and $refs to other documents are refused (422).',
          },
        ),
      ),
    ),
  },
  { additionalProperties: false },
);
export type CreateEventTypeBody = Static<typeof CreateEventTypeBody>;

export const EventTypeParams = Type.Object({ name: Type.String({ maxLength: 128 }) });
export type EventTypeParams = Static<typeof EventTypeParams>;

export const EventTypeResponse = Type.Object(
  {
    name: Type.String(),
    description: Type.String(),
    schema: Nullable(Type.Object({}, { additionalProperties: true })),
    createdAt: Timestamp,
  },
  { $id: 'EventType' },
);
