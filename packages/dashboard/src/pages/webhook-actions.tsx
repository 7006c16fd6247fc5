// What a person does to a webhook: Send test (the answer shown in place), Pause/Resume (Re-enable), Rotate secret, Delete.
import { useState } from 'preact/hooks';
import { api, dataOf, type Delivery, type Webhook } from '../api/client';
import { navigate } from '../router';
import { milliseconds } from '../format';
import { ErrorNotice } from '../ui/error-notice';
import { SecretOnce } from '../ui/secret-once';
import { Confirm } from '../ui/confirm';

interface ActionsProps {
  webhook: Webhook;
  onChanged: () => Promise<void>;
}

type TestResult = {
  delivery: Delivery;
  attempt: { responseStatus: number | null; durationMs: number; error: string | null } | null;
};

function TestOutcome({ result }: { result: TestResult }) {
  const attempt = result.attempt;
  const ok = result.delivery.status === 'success';
  return (
    <p class={ok ? 'notice notice-ok' : 'notice notice-error'} role="status" data-testid="test-result">
      Test sent: {attempt?.responseStatus ? <strong>{attempt.responseStatus}</strong> : <strong>no answer</strong>}
      {attempt ? ` in ${milliseconds(attempt.durationMs)}` : ''}
      {attempt?.error ? ` (${attempt.error})` : ''}.{' '}
      <a href={`#/deliveries/${result.delivery.id}`}>See the request and response</a>
    </p>
  );
}

export function WebhookActions({ webhook, onChanged }: ActionsProps) {
  const [busy, setBusy] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [test, setTest] = useState<TestResult | undefined>(undefined);
  const [secret, setSecret] = useState('');
  const [confirmDelete, setConfirmDelete] = useState(false);
  const path = { params: { path: { id: webhook.id } } };

  const run = (name: string, action: () => Promise<void>) => async () => {
    setBusy(name);
    setError(undefined);
    try {
      await action();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy('');
    }
  };
  const sendTest = run('test', async () => {
    setTest(undefined);
    setTest(await dataOf(api.POST('/api/v1/webhooks/{id}/test', { ...path, body: {} })));
    await onChanged();
  });
  const setActive = (active: boolean) =>
    run(active ? 'resume' : 'pause', async () => {
      await dataOf(api.PATCH('/api/v1/webhooks/{id}', { ...path, body: { active } }));
      await onChanged();
    });
  const rotate = run('rotate', async () => {
    const answer = await dataOf(api.POST('/api/v1/webhooks/{id}/rotate-secret', { ...path, body: {} }));
    setSecret((answer as { secret?: string }).secret ?? '');
  });
  const remove = run('delete', async () => {
    await dataOf(api.DELETE('/api/v1/webhooks/{id}', path));
    navigate('/');
  });

  return (
    <div class="webhook-actions">
      <div class="actions">
        <button type="button" onClick={() => void sendTest()} disabled={busy !== ''}>
          {busy === 'test' ? 'Sending…' : 'Send test'}
        </button>
        {webhook.active && webhook.status !== 'disabled' ? (
          <button type="button" class="secondary" onClick={() => void setActive(false)()} disabled={busy !== ''}>
            Pause
          </button>
        ) : (
          // A disabled webhook (410 Gone, or auto-disabled) is turned back on as a paused one is resumed: its kept
          // deliveries go out.
          <button type="button" class="secondary" onClick={() => void setActive(true)()} disabled={busy !== ''}>
            {webhook.status === 'disabled' ? 'Re-enable' : 'Resume'}
          </button>
        )}
        {webhook.signature.scheme !== 'none' && (
          <button type="button" class="secondary" onClick={() => void rotate()} disabled={busy !== ''}>
            Rotate secret
          </button>
        )}
        <button type="button" class="danger" onClick={() => setConfirmDelete(true)} disabled={busy !== ''}>
          Delete
        </button>
      </div>
      {confirmDelete && (
        <Confirm
          label="Delete this webhook?"
          yes="Yes, delete it"
          onYes={() => void remove()}
          onCancel={() => setConfirmDelete(false)}
          busy={busy !== ''}
        >
          Delete this webhook? Its delivery log goes with it, and nothing more is sent to <code>{webhook.url}</code>.
        </Confirm>
      )}
      <ErrorNotice error={error} />
      {test && <TestOutcome result={test} />}
      {secret && <SecretOnce secret={secret} title="New signing secret (the old one keeps signing for 24 hours too)" />}
    </div>
  );
}
