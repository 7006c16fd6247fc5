// The secret that signs the workspace's alert POSTs: shown once when the API hands it out (the save that first sets an
// alert URL, or a replacement asked for here), never read back.
import { useState } from 'preact/hooks';
import { api, dataOf } from '../api/client';
import { ErrorNotice } from '../ui/error-notice';
import { SecretOnce } from '../ui/secret-once';
import { Confirm } from '../ui/confirm';

export function AlertSecret({ workspaceId, shown }: { workspaceId: string; shown: string | undefined }) {
  const [replaced, setReplaced] = useState<string | undefined>(undefined);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const replace = async () => {
    setConfirming(false);
    try {
      const path = { id: workspaceId };
      setReplaced(
        (await dataOf(api.POST('/api/v1/workspaces/{id}/alert-secret', { params: { path }, body: {} }))).alertSecret,
      );
      setError(undefined);
    } catch (failure) {
      setError(failure);
    }
  };
  const secret = replaced ?? shown;
  return (
    <section class="card" aria-labelledby="alert-secret-heading">
      <h2 id="alert-secret-heading">Alert signing secret</h2>
      <p>
        Alert POSTs are signed like <code>standard</code> webhook deliveries: verify them with this secret.
      </p>
      {secret && <SecretOnce secret={secret} title="The alert secret" />}
      <ErrorNotice error={error} />
      {confirming ? (
        <Confirm
          label="Replace the alert secret?"
          yes="Yes, replace it"
          onYes={() => void replace()}
          onCancel={() => setConfirming(false)}
        >
          Replace the alert secret? The next alerts are signed with the new one only.
        </Confirm>
      ) : (
        <button type="button" class="secondary" onClick={() => setConfirming(true)}>
          Replace alert secret
        </button>
      )}
    </section>
  );
}
