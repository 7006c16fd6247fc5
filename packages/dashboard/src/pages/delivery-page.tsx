// One delivery: every attempt's request and response (bodies from strangers shown as text, never as HTML), the next
// attempt's time, and "Copy as curl" of the signed request.
import { api, dataOf, requestJson, type Attempt } from '../api/client';
import { curlCommand, maskedHeaders, variableFor } from '../curl';
import { dateTime, milliseconds } from '../format';
import { useSession } from '../session-context';
import { CopyButton } from '../ui/copy-button';
import { ErrorNotice } from '../ui/error-notice';
import { DeliveryBadge } from '../ui/status-badge';
import { useLoad } from '../use-load';
import { deliveredBody } from './delivered-body';

function Headers({ headers }: { headers: Record<string, string> | null }) {
  if (!headers || Object.keys(headers).length === 0) return <p class="muted">None</p>;
  return (
    <dl class="headers">
      {Object.entries(headers).map(([name, value]) => (
        <div>
          <dt>{name}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function AttemptCard({
  attempt,
  index,
  url,
  body,
}: {
  attempt: Attempt;
  index: number;
  url: string;
  body: string | undefined;
}) {
  const ok = attempt.responseStatus !== null && attempt.responseStatus >= 200 && attempt.responseStatus < 300;
  return (
    <article class="card attempt" aria-labelledby={`attempt-${index}`}>
      <div class="page-head">
        <h3 id={`attempt-${index}`}>
          Attempt {index + 1}{' '}
          <span class={ok ? 'badge badge-delivery-success' : 'badge badge-delivery-failed'}>
            {attempt.responseStatus ?? 'no answer'}
          </span>
        </h3>
        <span class="muted">
          {dateTime(attempt.attemptedAt)} · {milliseconds(attempt.durationMs)}
        </span>
      </div>
      {attempt.error && <p class="notice notice-error">{attempt.error}</p>}
      <div class="attempt-grid">
        <section>
          <h4>Request headers</h4>
          <Headers headers={attempt.requestHeaders} />
          {body !== undefined && (
            <CopyButton text={curlCommand(url, attempt.requestHeaders, body)} label="Copy as curl" />
          )}
          {body !== undefined && <MaskedHeadersNote headers={attempt.requestHeaders} />}
        </section>
        <section>
          <h4>Response headers</h4>
          <Headers headers={attempt.responseHeaders} />
          <h4>Response body</h4>
          {/* Text only: Preact sets textContent, so markup in a receiver's answer is shown, never run. */}
          <pre class="body" data-testid="response-body">
            {attempt.responseBody ?? ''}
          </pre>
        </section>
      </div>
    </article>
  );
}

async function loadDelivery(id: string) {
  const path = { params: { path: { id } } };
  const [delivery, attempts] = await Promise.all([
    dataOf(api.GET('/api/v1/deliveries/{id}', path)),
    dataOf(api.GET('/api/v1/deliveries/{id}/attempts', { params: { path: { id }, query: { limit: 100 } } })),
  ]);
  const webhook = await dataOf(api.GET('/api/v1/webhooks/{id}', { params: { path: { id: delivery.webhookId } } }));
  return { delivery, attempts: attempts.data, url: webhook.url };
}

export function DeliveryPage({ id }: { id: string }) {
  const { workspaceId } = useSession();
  const loaded = useLoad(() => loadDelivery(id), [id]);
  const body = useLoad(async () => {
    if (!loaded.data) return undefined;
    const { delivery } = loaded.data;
    // The bytes as stored; a server without `body` (or a delivery without one) gets it rebuilt from the event.
    if (typeof delivery.body === 'string') return delivery.body;
    const event = await requestJson<Record<string, unknown>>(
      'GET',
      `/api/v1/events/${encodeURIComponent(delivery.eventId)}`,
    );
    return deliveredBody(event, workspaceId, delivery.webhookId);
  }, [loaded.data]);
  if (loaded.error) return <ErrorNotice error={loaded.error} />;
  if (!loaded.data) return <p class="loading">Loading…</p>;
  const { delivery, attempts, url } = loaded.data;
  return (
    <section>
      <p class="crumbs">
        <a href="#/">Webhooks</a> / <a href={`#/webhooks/${delivery.webhookId}`}>{url}</a> /
      </p>
      <div class="page-head">
        <h1>
          Delivery <span class="h1-id">{delivery.id}</span>
        </h1>
        <DeliveryBadge status={delivery.status} />
      </div>
      <dl class="facts">
        <div>
          <dt>Event</dt>
          <dd>
            <code>{delivery.event}</code> <span class="mono muted">{delivery.eventId}</span>
          </dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>{dateTime(delivery.createdAt)}</dd>
        </div>
        <div>
          <dt>Attempts</dt>
          <dd>{delivery.attempts}</dd>
        </div>
        <div>
          <dt>Next attempt</dt>
          <dd>{delivery.nextAttemptAt ? dateTime(delivery.nextAttemptAt) : 'none'}</dd>
        </div>
      </dl>
      {body.data !== undefined && (
        <details class="card">
          <summary>
            <h2>Request body</h2>
          </summary>
          <pre class="body">{body.data}</pre>
        </details>
      )}
      <h2>Attempts</h2>
      {attempts.length === 0 && <p class="muted">No attempt yet.</p>}
      {[...attempts].reverse().map((attempt, index) => (
        <AttemptCard attempt={attempt} index={attempts.length - 1 - index} url={url} body={body.data} />
      ))}
      <button type="button" class="secondary" onClick={() => void loaded.reload()}>
        Refresh
      </button>
    </section>
  );
}

/** Which variables the copied command reads the webhook's own header values from (hookd never shows them). */
function MaskedHeadersNote({ headers }: { headers: Record<string, string> }) {
  const masked = maskedHeaders(headers);
  if (masked.length === 0) return null;
  return (
    <p class="muted" data-testid="curl-variables">
      hookd does not show {masked.join(', ')}: set{' '}
      {masked.flatMap((name, i) => [...(i > 0 ? [', '] : []), <code key={name}>{variableFor(name)}</code>])} to{' '}
      {masked.length === 1 ? 'its value' : 'their values'} before running the command.
    </p>
  );
}
