// Request and response shapes of /stats.
import { Type, type Static } from '@sinclair/typebox';
import { Nullable } from './common.js';

export const StatsQuery = Type.Object({
  webhookId: Type.Optional(Type.String({ maxLength: 64, description: 'one webhook; default: every webhook' })),
});
export type StatsQuery = Static<typeof StatsQuery>;

const totals = (description: string) =>
  Type.Object(
    {
      succeeded: Type.Integer(),
      failed: Type.Integer(),
      successRate: Nullable(
        Type.Number({ description: 'succeeded / (succeeded + failed); null when there were none' }),
      ),
    },
    { description },
  );

export const WebhookStatsResponse = Type.Object(
  {
    webhookId: Type.String(),
    lastHour: totals('attempts in the current clock hour (UTC) so far'),
    lastDay: totals('attempts in the 24 clock hours of the series'),
    series: Type.Array(
      Type.Object({
        start: Type.String({ format: 'date-time', description: 'the start of the hour' }),
        succeeded: Type.Integer(),
        failed: Type.Integer(),
      }),
      { description: '24 hours, oldest first, the current hour last' },
    ),
  },
  { $id: 'WebhookStats' },
);
