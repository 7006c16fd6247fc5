// The Hookd-Workspace header in /openapi.json: every route of the authenticated scope honours it (api/auth.ts), but
// it is read by that scope's hook, not by a route schema, so the document learns of it here, once for all of them.
import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifySchema } from 'fastify';

export const WORKSPACE_HEADER = 'Hookd-Workspace';

const workspaceHeader = Type.Optional(
  Type.String({
    maxLength: 64,
    description:
      "an admin key acting in another workspace: that workspace's id (any other key may only name its own; 403)",
  }),
);

interface RouteDocument {
  schema: FastifySchema;
  url: string;
}

/**
 * @fastify/swagger's per-route transform: adds the header to the operations that act inside a workspace. Left out:
 * the login (no key yet: `security: []`) and the admin's /workspaces routes, which name their workspace in the path.
 */
export function documentWorkspaceHeader({ schema, url }: RouteDocument): RouteDocument {
  // A route without a schema has none to extend (and /openapi.json hides those anyway).
  const security = (schema as { security?: unknown[] } | undefined)?.security;
  const applies =
    schema !== undefined &&
    url.startsWith('/api/v1/') &&
    !url.startsWith('/api/v1/workspaces') &&
    !(security !== undefined && security.length === 0);
  if (!applies) return { schema, url };
  const headers = schema.headers as { properties?: Record<string, TSchema> } | undefined;
  return {
    schema: {
      ...schema,
      headers: Type.Object({ ...headers?.properties, [WORKSPACE_HEADER]: workspaceHeader }),
    },
    url,
  };
}
