// The webhook form, for "New webhook" and for a webhook's settings: every setting of the API, each with a label, and
// the API's message for a field shown beside it.
import { useState } from 'preact/hooks';
import { ApiError, type CreateWebhookBody, type FieldProblem } from '../api/client';
import { ErrorNotice, messageOf } from '../ui/error-notice';
import { describedBy, Field, problemsFor, TextAreaField } from '../ui/field';
import { EventsPicker, RetryPicker } from './webhook-form-parts';
import { bodyOf, type WebhookFormState } from './webhook-form-model';

interface WebhookFormProps {
  initial: WebhookFormState;
  catalog: string[];
  mode: 'create' | 'edit';
  onSubmit: (body: CreateWebhookBody & { verify?: boolean }) => Promise<void>;
}

export function WebhookForm({ initial, catalog, mode, onSubmit }: WebhookFormProps) {
  const [form, setForm] = useState(initial);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [summary, setSummary] = useState('');
  const [busy, setBusy] = useState(false);
  const update = (change: Partial<WebhookFormState>) => setForm({ ...form, ...change });

  const submit = async (event: Event) => {
    event.preventDefault();
    const { body, problems: local } = bodyOf(form);
    setProblems(local);
    setSummary(local.length ? 'Some fields need a change: see the messages beside them.' : '');
    if (local.length) return;
    setBusy(true);
    try {
      await onSubmit(mode === 'create' ? { ...body, verify: form.verify } : body);
    } catch (failure) {
      const details = failure instanceof ApiError ? failure.details : [];
      setProblems(details);
      setSummary(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  // A text input bound to one field of the form, described by its hint and the API's messages for it.
  const text = (name: keyof WebhookFormState, label: string, hint?: string, extra: Record<string, unknown> = {}) => {
    const id = `wh-${name}`;
    const errors = problemsFor(problems, name === 'headerPrefix' ? 'signature.headerPrefix' : name);
    return (
      <Field id={id} label={label} hint={hint} errors={errors}>
        <input
          id={id}
          name={name}
          value={form[name] as string}
          onInput={(e) => update({ [name]: e.currentTarget.value })}
          aria-describedby={describedBy(id, Boolean(hint), errors)}
          aria-invalid={errors.length ? 'true' : undefined}
          {...extra}
        />
      </Field>
    );
  };

  return (
    <form class="card form" onSubmit={(e) => void submit(e)} noValidate>
      <ErrorNotice error={summary || undefined} />
      {text('url', 'Endpoint URL', 'Where hookd POSTs each event.', {
        type: 'url',
        required: true,
        placeholder: 'https://example.com/hooks',
      })}
      {text('description', 'Description', 'Optional: what this endpoint is for.')}
      <EventsPicker form={form} update={update} problems={problems} catalog={catalog} />
      <fieldset class="field">
        <legend>Signature</legend>
        <div class="row">
          <Field id="wh-scheme" label="Signature scheme" errors={problemsFor(problems, 'signature.scheme')}>
            <select
              id="wh-scheme"
              value={form.scheme}
              onChange={(e) => update({ scheme: e.currentTarget.value as WebhookFormState['scheme'] })}
            >
              <option value="standard">Standard Webhooks (webhook-signature)</option>
              <option value="timestamp-nonce">Timestamp and nonce (prefix Signature, Timestamp, Nonce)</option>
              <option value="body">Body only (prefix Signature: sha256=…)</option>
              <option value="none">None (no signature)</option>
            </select>
          </Field>
          {text('headerPrefix', 'Header prefix', 'Names the signature and event headers, e.g. X-Webhook-.')}
        </div>
      </fieldset>
      <RetryPicker form={form} update={update} problems={problems} />
      <fieldset class="field">
        <legend>Delivery</legend>
        <div class="row">
          {text('timeout', 'Timeout', 'Per attempt, 1s to 60s.')}
          {text('rateLimit', 'Rate limit', 'Deliveries a second at most; empty: no cap.', { inputMode: 'numeric' })}
          {text(
            'autoDisableAfter',
            'Auto-disable after',
            'Disable it once it has failed without a success this long, e.g. 5d; never: not even by the workspace setting; empty: the workspace setting.',
          )}
          <Field id="wh-ordering" label="Ordering" errors={problemsFor(problems, 'ordering')}>
            <select
              id="wh-ordering"
              value={form.ordering}
              onChange={(e) => update({ ordering: e.currentTarget.value as 'none' | 'fifo' })}
            >
              <option value="none">Any order (fastest)</option>
              <option value="fifo">One at a time, in publish order (FIFO)</option>
            </select>
          </Field>
        </div>
      </fieldset>
      <TextAreaField
        id="wh-filter"
        label="Filter"
        hint='Optional JSON condition on the event, e.g. {"data.amount": {"$gt": 100}}.'
        errors={problemsFor(problems, 'filter')}
        rows={3}
        value={form.filter}
        onInput={(filter) => update({ filter })}
      />
      <TextAreaField
        id="wh-headers"
        label="Custom headers"
        hint="One “Name: value” a line, sent with every delivery. Stored values show as [redacted]; leave them to keep them."
        errors={problemsFor(problems, 'headers')}
        rows={3}
        value={form.headers}
        onInput={(headers) => update({ headers })}
      />
      {mode === 'create' && (
        <label class="check">
          <input type="checkbox" checked={form.verify} onChange={(e) => update({ verify: e.currentTarget.checked })} />
          Verify the endpoint first (send a test event; refuse an endpoint that does not answer 2xx)
        </label>
      )}
      <div class="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : mode === 'create' ? 'Create webhook' : 'Save changes'}
        </button>
      </div>
    </form>
  );
}
