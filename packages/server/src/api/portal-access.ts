// What a portal session may do, route by route. Denied unless a route says otherwise (config.portal), so a route
// added later is closed to portal links until someone decides it should not be. Within what a route allows, a
// read-only link only reads, and a link for some webhooks sees no other webhook (nor its deliveries) at all: 404,
// as for a webhook that does not exist.
import type { FastifyRequest } from 'fastify';
import { HookdError } from '../domain/errors.js';
import { requireWebhookInScope } from '../services/browser-sessions.js';
import type { StoreDeps } from '../services/deps.js';

/**
 * - 'any': nothing webhook-specific, or the handler filters by the scope itself (lists, stats).
 * - 'workspace': only for a link that sees the whole workspace (creating webhooks, the workspace's events).
 * - { webhookParam }: the route names a webhook in that path parameter.
 * - { deliveryParam }: the route names a delivery in that path parameter; its webhook must be in scope.
 */
export type PortalAccess = 'any' | 'workspace' | { webhookParam: string } | { deliveryParam: string };

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What a portal session may do on this route; absent: nothing (403). */
    portal?: PortalAccess;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

export async function requirePortalAccess(request: FastifyRequest, deps: StoreDeps): Promise<void> {
  const scope = request.caller.portal;
  if (!scope) return;
  const access = request.routeOptions.config.portal;
  if (access === undefined) throw new HookdError('HOOKD_ERR_FORBIDDEN', 'a portal link cannot do this');
  if (scope.readOnly && !SAFE_METHODS.has(request.method))
    throw new HookdError('HOOKD_ERR_FORBIDDEN', 'this portal link is read-only');
  if (scope.webhookIds === null || access === 'any') return;
  if (access === 'workspace')
    throw new HookdError('HOOKD_ERR_FORBIDDEN', 'this portal link is for some webhooks only, not the whole workspace');
  const params = request.params as Record<string, string | undefined>;
  if ('webhookParam' in access) return requireWebhookInScope(request.caller, params[access.webhookParam] ?? '');
  const deliveryId = params[access.deliveryParam] ?? '';
  const delivery = await deps.store.getDelivery(request.caller.workspaceId, deliveryId);
  if (!delivery || !scope.webhookIds.includes(delivery.webhookId))
    throw new HookdError('HOOKD_ERR_NOT_FOUND', `no delivery ${deliveryId}`);
}
