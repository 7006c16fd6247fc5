// "Redeliver all failed since …": every failed delivery of the webhook created since the chosen moment, sent again.
import { useState } from 'preact/hooks';
import { api, dataOf } from '../api/client';
import { localInputValue } from '../format';
import { ErrorNotice } from '../ui/error-notice';

export function RedeliverFailed({ webhookId, onDone }: { webhookId: string; onDone: () => Promise<void> }) {
  const [since, setSince] = useState(() => localInputValue(new Date(Date.now() - 24 * 3_600_000)));
  const [result, setResult] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    setResult('');
    try {
      const body = since ? { since: new Date(since).toISOString() } : {};
      const answer = await dataOf(
        api.POST('/api/v1/webhooks/{id}/redeliver', { params: { path: { id: webhookId } }, body }),
      );
      setResult(`${answer.redelivered} failed ${answer.redelivered === 1 ? 'delivery' : 'deliveries'} sent again.`);
      await onDone();
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <form class="redeliver-failed" onSubmit={(e) => void submit(e)}>
      <div class="field">
        <label for="redeliver-since">Failed since</label>
        <input
          id="redeliver-since"
          type="datetime-local"
          value={since}
          onInput={(e) => setSince(e.currentTarget.value)}
        />
      </div>
      <button type="submit" class="secondary">
        Redeliver all failed since…
      </button>
      {result && (
        <span class="muted" role="status">
          {result}
        </span>
      )}
      <ErrorNotice error={error} />
    </form>
  );
}
