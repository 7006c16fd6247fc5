// A webhook's delivery log: newest first, filtered by status and event type, searched by delivery or event id,
// paginated, polled every few seconds while visible (so new deliveries appear), with Redeliver on each row.
import { useCallback, useState } from 'preact/hooks';
import { api, dataOf, requestJson, type Delivery } from '../api/client';
import { milliseconds, timeAgo, dateTime } from '../format';
import { useSession } from '../session-context';
import { ErrorNotice } from '../ui/error-notice';
import { DeliveryBadge } from '../ui/status-badge';
import { useLoad, usePolling } from '../use-load';
import { RedeliverFailed } from './redeliver-failed';

const PAGE_SIZE = 25;
const POLL_MS = 3000;
type Status = '' | 'pending' | 'success' | 'failed';

interface Query {
  status: Status;
  event: string;
  search: string;
  /** Cursors of the pages before this one (the first page has none). */
  cursors: string[];
}

async function loadPage(webhookId: string, query: Query): Promise<{ data: Delivery[]; nextCursor: string | null }> {
  const search = query.search.trim();
  if (search.startsWith('dlv_')) {
    const delivery = await dataOf(api.GET('/api/v1/deliveries/{id}', { params: { path: { id: search } } })).catch(
      () => undefined,
    );
    return { data: delivery && delivery.webhookId === webhookId ? [delivery] : [], nextCursor: null };
  }
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (query.status) params.set('status', query.status);
  if (query.event.trim()) params.set('event', query.event.trim());
  if (search) params.set('eventId', search);
  const cursor = query.cursors.at(-1);
  if (cursor) params.set('cursor', cursor);
  const answer = await requestJson<{ data: Delivery[]; nextCursor: string | null }>(
    'GET',
    `/api/v1/webhooks/${encodeURIComponent(webhookId)}/deliveries?${params.toString()}`,
  );
  // A server that does not know ?eventId= lists everything: keep only the matches.
  return search ? { ...answer, data: answer.data.filter((d) => d.eventId === search) } : answer;
}

function DeliveryRow({ delivery, onRedeliver }: { delivery: Delivery; onRedeliver?: () => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  return (
    <tr>
      <td>
        <DeliveryBadge status={delivery.status} />
      </td>
      <td>
        <code>{delivery.event}</code>
      </td>
      <td class="cell-id">
        <a href={`#/deliveries/${delivery.id}`} class="mono">
          {delivery.id}
        </a>
      </td>
      <td class="mono" data-label="Response">
        {delivery.responseStatus ?? '—'}
      </td>
      <td data-label="Time">{milliseconds(delivery.responseTime)}</td>
      <td data-label="Attempts">{delivery.attempts}</td>
      <td>
        <time dateTime={delivery.createdAt} title={dateTime(delivery.createdAt)}>
          {timeAgo(delivery.createdAt)}
        </time>
      </td>
      <td>
        {onRedeliver && (
          <button
            type="button"
            class="secondary small"
            disabled={busy}
            aria-label={`Redeliver ${delivery.id}`}
            onClick={() => {
              setBusy(true);
              void onRedeliver().finally(() => setBusy(false));
            }}
          >
            Redeliver
          </button>
        )}
      </td>
    </tr>
  );
}

export function DeliveryLog({ webhookId }: { webhookId: string }) {
  const { canWrite } = useSession();
  const [query, setQuery] = useState<Query>({ status: '', event: '', search: '', cursors: [] });
  const [actionError, setActionError] = useState<unknown>(undefined);
  const page = useLoad(() => loadPage(webhookId, query), [webhookId, query]);
  const refresh = useCallback(() => page.reload(), [page.reload]);
  usePolling(refresh, POLL_MS);
  const change = (next: Partial<Query>) => setQuery({ ...query, cursors: [], ...next });
  const redeliver = (id: string) => async () => {
    try {
      await dataOf(api.POST('/api/v1/webhooks/deliveries/{id}/retry', { params: { path: { id } }, body: {} }));
      await page.reload();
    } catch (failure) {
      setActionError(failure);
    }
  };
  const rows = page.data?.data ?? [];
  return (
    <section class="card" aria-labelledby="log-title">
      <h2 id="log-title">Delivery log</h2>
      {/* The text filters are uncontrolled: they apply on change (Enter or leaving the field), and a re-render in
          between (a poll, another filter) must not wipe what is being typed. */}
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="log-status">Status</label>
          <select
            id="log-status"
            value={query.status}
            onChange={(e) => change({ status: e.currentTarget.value as Status })}
          >
            <option value="">All</option>
            <option value="success">Succeeded</option>
            <option value="failed">Failed</option>
            <option value="pending">Pending</option>
          </select>
        </div>
        <div class="field">
          <label for="log-event">Event type</label>
          <input
            id="log-event"
            defaultValue={query.event}
            placeholder="any"
            onChange={(e) => change({ event: e.currentTarget.value })}
          />
        </div>
        <div class="field grow">
          <label for="log-search">Search by delivery or event id</label>
          <input
            id="log-search"
            type="search"
            defaultValue={query.search}
            placeholder="dlv_… or an event id"
            onChange={(e) => change({ search: e.currentTarget.value })}
          />
        </div>
      </form>
      {canWrite && <RedeliverFailed webhookId={webhookId} onDone={page.reload} />}
      <ErrorNotice error={page.error ?? actionError} />
      <div class="table-wrap">
        <table class="table deliveries" aria-describedby="log-title">
          <thead>
            <tr>
              <th scope="col">Status</th>
              <th scope="col">Event</th>
              <th scope="col">Delivery</th>
              <th scope="col">Response</th>
              <th scope="col">Time</th>
              <th scope="col">Attempts</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((delivery) => (
              <DeliveryRow
                key={delivery.id}
                delivery={delivery}
                onRedeliver={canWrite ? redeliver(delivery.id) : undefined}
              />
            ))}
          </tbody>
        </table>
      </div>
      {page.data && rows.length === 0 && (
        <p class="muted empty-log">No deliveries match. Publish an event or press Send test.</p>
      )}
      <nav class="pager" aria-label="Delivery log pages">
        <button
          type="button"
          class="secondary"
          disabled={query.cursors.length === 0}
          onClick={() => setQuery({ ...query, cursors: query.cursors.slice(0, -1) })}
        >
          Newer
        </button>
        <span class="muted">Page {query.cursors.length + 1}</span>
        <button
          type="button"
          class="secondary"
          disabled={!page.data?.nextCursor}
          onClick={() => setQuery({ ...query, cursors: [...query.cursors, page.data!.nextCursor!] })}
        >
          Older
        </button>
      </nav>
    </section>
  );
}
