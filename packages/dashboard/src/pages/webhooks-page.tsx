// The webhooks of the workspace: where each goes, what it listens to, its state, and its last 24 hours.
import { api, dataOf, type Webhook } from '../api/client';
import { loadStats, type WebhookStats } from '../api/stats';
import { percent } from '../format';
import { useSession } from '../session-context';
import { DeliveryChart } from '../ui/chart';
import { ErrorNotice } from '../ui/error-notice';
import { StatusBadge } from '../ui/status-badge';
import { useLoad } from '../use-load';

interface ListData {
  webhooks: Webhook[];
  stats: Map<string, WebhookStats>;
}

async function loadAll(): Promise<ListData> {
  const webhooks: Webhook[] = [];
  let cursor: string | undefined;
  // A workspace holds at most 1,000 webhooks: ten pages at most.
  do {
    const page = await dataOf(api.GET('/api/v1/webhooks', { params: { query: { limit: 100, cursor } } }));
    webhooks.push(...page.data);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return { webhooks, stats: await loadStats() };
}

function EmptyState({ canWrite }: { canWrite: boolean }) {
  return (
    <div class="card empty">
      <h2>No webhooks yet</h2>
      {canWrite ? (
        <>
          <p>
            A webhook sends your events to a URL of yours. Start by adding the endpoint that should receive them: hookd
            gives you its signing secret, and <strong>Send test</strong> checks it answers.
          </p>
          <a class="button" href="#/webhooks/new">
            New webhook
          </a>
        </>
      ) : (
        <p>No webhook has been set up for you yet.</p>
      )}
    </div>
  );
}

function WebhookRow({ webhook, stats }: { webhook: Webhook; stats: WebhookStats | undefined }) {
  return (
    <tr>
      <td class="cell-url">
        <a href={`#/webhooks/${webhook.id}`} class="url">
          {webhook.url}
        </a>
        {webhook.description && <div class="muted small">{webhook.description}</div>}
      </td>
      <td class="cell-events">
        {webhook.events.length ? webhook.events.map((name) => <code class="tag">{name}</code>) : <span>—</span>}
      </td>
      <td>
        <StatusBadge webhook={webhook} />
      </td>
      <td class="cell-rate" data-label="Success, 24 h">
        <span class="rate" title="Attempts that succeeded over the last 24 hours">
          {percent(stats?.lastDay.successRate)}
        </span>
      </td>
      <td class="cell-chart">
        <DeliveryChart stats={stats} />
      </td>
    </tr>
  );
}

export function WebhooksPage() {
  const { canWrite, session } = useSession();
  const { data, error } = useLoad(loadAll, []);
  return (
    <section>
      <div class="page-head">
        <h1>Webhooks</h1>
        {canWrite && !session.webhookIds && (
          <a class="button" href="#/webhooks/new">
            New webhook
          </a>
        )}
      </div>
      <ErrorNotice error={error} />
      {!data && !error && <p class="loading">Loading…</p>}
      {data && data.webhooks.length === 0 && <EmptyState canWrite={canWrite && !session.webhookIds} />}
      {data && data.webhooks.length > 0 && (
        <div class="table-wrap">
          <table class="table webhooks">
            <thead>
              <tr>
                <th scope="col">Endpoint</th>
                <th scope="col">Events</th>
                <th scope="col">Status</th>
                <th scope="col">Success (24 h)</th>
                <th scope="col">Last 24 hours</th>
              </tr>
            </thead>
            <tbody>
              {data.webhooks.map((webhook) => (
                <WebhookRow key={webhook.id} webhook={webhook} stats={data.stats.get(webhook.id)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
