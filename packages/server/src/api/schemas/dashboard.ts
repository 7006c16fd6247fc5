// Request and response shapes of the dashboard's browser session and of portal sessions.
import { Type, type Static } from '@sinclair/typebox';
import { Nullable, Timestamp } from './common.js';

export const OpenSessionBody = Type.Object(
  { apiKey: Type.String({ minLength: 1, maxLength: 256, description: 'an API key, hk_…' }) },
  { additionalProperties: false },
);
export type OpenSessionBody = Static<typeof OpenSessionBody>;

export const SessionResponse = Type.Object(
  {
    workspace: Type.Object({ id: Type.String(), name: Type.String(), accentColor: Nullable(Type.String()) }),
    admin: Type.Boolean({ description: 'an admin key: may switch workspaces (Hookd-Workspace header)' }),
    expiresAt: Timestamp,
    csrfToken: Nullable(
      Type.String({ description: 'send as X-CSRF-Token on every request that changes something; null for a portal' }),
    ),
    readOnly: Type.Boolean(),
    webhookIds: Nullable(Type.Array(Type.String(), { description: 'a portal for these webhooks only; null: all' })),
  },
  { $id: 'DashboardSession' },
);

export const CreatePortalSessionBody = Type.Object(
  {
    workspaceId: Type.Optional(
      Type.String({ maxLength: 64, description: "default: the caller's; another needs an admin key" }),
    ),
    webhookIds: Type.Optional(
      Type.Array(Type.String({ maxLength: 64 }), {
        minItems: 1,
        maxItems: 100,
        description: 'the only webhooks the portal shows (it cannot create others); default: all',
      }),
    ),
    expiresIn: Type.Optional(
      Type.String({ maxLength: 16, description: 'how long the link works, "5m" to "24h"; default "1h"' }),
    ),
    readOnly: Type.Optional(Type.Boolean({ description: 'the portal only reads; default false' })),
  },
  { additionalProperties: false },
);
export type CreatePortalSessionBody = Static<typeof CreatePortalSessionBody>;

export const PortalSessionResponse = Type.Object(
  {
    url: Type.String({ description: 'open it, or put it in an iframe of an origin in the workspace portalOrigins' }),
    token: Type.String({ description: 'hps_…: the portal sends it as a bearer token; shown this once' }),
    expiresAt: Timestamp,
  },
  { $id: 'PortalSession' },
);
