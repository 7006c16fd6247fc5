// "New webhook": the form, then the signing secret, shown this once.
import { useState } from 'preact/hooks';
import { api, dataOf, type Webhook } from '../api/client';
import { loadEventTypes } from '../api/catalog';
import { ErrorNotice } from '../ui/error-notice';
import { SecretOnce } from '../ui/secret-once';
import { useLoad } from '../use-load';
import { WebhookForm } from './webhook-form';
import { EMPTY_FORM } from './webhook-form-model';

export function NewWebhookPage() {
  const catalog = useLoad(async () => (await loadEventTypes()).map((type) => type.name), []);
  const [created, setCreated] = useState<(Webhook & { secret?: string }) | undefined>(undefined);

  if (created) {
    return (
      <section>
        <h1>Webhook created</h1>
        <p>
          hookd now sends the events you chose to <code class="url">{created.url}</code>.
        </p>
        {created.secret ? (
          <SecretOnce secret={created.secret} title="Signing secret" />
        ) : (
          <p class="muted">This webhook is not signed (scheme “none”), so it has no secret.</p>
        )}
        <p>
          <a class="button" href={`#/webhooks/${created.id}`}>
            Go to the webhook
          </a>
        </p>
      </section>
    );
  }
  return (
    <section>
      <p class="crumbs">
        <a href="#/">Webhooks</a> /
      </p>
      <h1>New webhook</h1>
      <ErrorNotice error={catalog.error} />
      {catalog.data || catalog.error ? (
        <WebhookForm
          initial={EMPTY_FORM}
          catalog={catalog.data ?? []}
          mode="create"
          onSubmit={async (body) => {
            const webhook = await dataOf(api.POST('/api/v1/webhooks', { body }));
            setCreated(webhook);
            scrollTo(0, 0);
          }}
        />
      ) : (
        <p class="loading">Loading…</p>
      )}
    </section>
  );
}
