// Per-webhook delivery counts for the last hour and day and the 24 hourly buckets the charts draw (GET /stats).
import { requestJson } from './client';

export interface Counts {
  succeeded: number;
  failed: number;
  successRate: number | null;
}

export interface WebhookStats {
  webhookId: string;
  lastHour: Counts;
  lastDay: Counts;
  series: { start: string; succeeded: number; failed: number }[];
}

/** Stats by webhook id; an older server without /stats gives an empty map rather than a broken page. */
export async function loadStats(webhookId?: string): Promise<Map<string, WebhookStats>> {
  const query = webhookId ? `?webhookId=${encodeURIComponent(webhookId)}` : '';
  try {
    const { data } = await requestJson<{ data: WebhookStats[] }>('GET', `/api/v1/stats${query}`);
    return new Map(data.map((stats) => [stats.webhookId, stats]));
  } catch {
    return new Map();
  }
}
