// One webhook: where it sends, its state and last 24 hours, the actions, its settings (editable) and its log.
import { api, dataOf } from '../api/client';
import { loadEventTypes } from '../api/catalog';
import { loadStats } from '../api/stats';
import { percent } from '../format';
import { useSession } from '../session-context';
import { DeliveryChart } from '../ui/chart';
import { ErrorNotice } from '../ui/error-notice';
import { StatusBadge } from '../ui/status-badge';
import { useLoad } from '../use-load';
import { DeliveryLog } from './delivery-log';
import { WebhookActions } from './webhook-actions';
import { WebhookForm } from './webhook-form';
import { formOf } from './webhook-form-model';

async function loadWebhook(id: string) {
  const [webhook, stats] = await Promise.all([
    dataOf(api.GET('/api/v1/webhooks/{id}', { params: { path: { id } } })),
    loadStats(id),
  ]);
  return { webhook, stats: stats.get(id) };
}

export function WebhookPage({ id }: { id: string }) {
  const { canWrite } = useSession();
  const loaded = useLoad(() => loadWebhook(id), [id]);
  const catalog = useLoad(async () => (await loadEventTypes()).map((type) => type.name), []);
  if (loaded.error) return <ErrorNotice error={loaded.error} />;
  if (!loaded.data) return <p class="loading">Loading…</p>;
  const { webhook, stats } = loaded.data;
  return (
    <section>
      <p class="crumbs">
        <a href="#/">Webhooks</a> /
      </p>
      <div class="page-head">
        <h1 class="url">{webhook.url}</h1>
        <StatusBadge webhook={webhook} />
      </div>
      {webhook.description && <p class="muted">{webhook.description}</p>}
      <div class="summary">
        <div>
          <span class="muted small">Events</span>
          <div>{webhook.events.length ? webhook.events.map((name) => <code class="tag">{name}</code>) : '—'}</div>
        </div>
        <div>
          <span class="muted small">Success, last hour</span>
          <div class="rate">{percent(stats?.lastHour.successRate)}</div>
        </div>
        <div>
          <span class="muted small">Success, 24 h</span>
          <div class="rate">{percent(stats?.lastDay.successRate)}</div>
        </div>
        <div class="summary-chart">
          <span class="muted small">Attempts, 24 h</span>
          <DeliveryChart stats={stats} width={240} height={40} />
        </div>
      </div>
      {canWrite && <WebhookActions webhook={webhook} onChanged={loaded.reload} />}
      <DeliveryLog webhookId={webhook.id} />
      {canWrite && catalog.data && (
        <details class="card settings">
          <summary>
            <h2>Settings</h2>
          </summary>
          <WebhookForm
            key={webhook.updatedAt}
            initial={formOf(webhook, catalog.data)}
            catalog={catalog.data}
            mode="edit"
            onSubmit={async (body) => {
              await dataOf(api.PATCH('/api/v1/webhooks/{id}', { params: { path: { id } }, body }));
              await loaded.reload();
            }}
          />
        </details>
      )}
    </section>
  );
}
