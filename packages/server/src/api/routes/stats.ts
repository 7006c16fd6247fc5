// /api/v1/stats: attempts by outcome per webhook, over the current hour and the last day, with the hourly series.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { ServiceDeps } from '../../services/deps.js';
import { statsOfWebhooks } from '../../services/webhook-stats.js';
import { errorResponses } from '../schemas/common.js';
import { StatsQuery, WebhookStatsResponse } from '../schemas/stats.js';

export function statsRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  app.addSchema(WebhookStatsResponse);
  app.get<{ Querystring: StatsQuery }>(
    '/stats',
    {
      // A portal link gets its own webhooks' stats only (statsOfWebhooks filters by its scope).
      config: { portal: 'any' },
      schema: {
        tags: ['webhooks'],
        summary: 'Attempts by outcome per webhook: this hour, the last 24 hours and each of those hours',
        querystring: StatsQuery,
        response: { 200: Type.Object({ data: Type.Array(Type.Ref('WebhookStats')) }), ...errorResponses(404) },
      },
    },
    async (request) => {
      const stats = await statsOfWebhooks(deps, request.caller.workspaceId, {
        webhookId: request.query.webhookId,
        onlyIds: request.caller.portal?.webhookIds ?? null,
      });
      // Every webhook's series has the same 24 hours: each written out once, not once a webhook (100 webhooks: 2,400).
      const isoOf = new Map<number, string>();
      const iso = (at: Date) => {
        let text = isoOf.get(at.getTime());
        if (text === undefined) isoOf.set(at.getTime(), (text = at.toISOString()));
        return text;
      };
      return {
        data: stats.map((one) => ({
          ...one,
          series: one.series.map((slot) => ({ ...slot, start: iso(slot.start) })),
        })),
      };
    },
  );
}
