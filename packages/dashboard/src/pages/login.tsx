// Log in with an API key. The key is sent once to open a session (an HttpOnly cookie) and is never stored.
import { useState } from 'preact/hooks';
import { logIn, type Session } from '../api/session';
import { messageOf } from '../ui/error-notice';

export function LoginPage({ onLoggedIn }: { onLoggedIn: (session: Session) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      onLoggedIn(await logIn(key.trim()));
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="login" id="main">
      <form class="card login-card" onSubmit={(e) => void submit(e)}>
        <h1>
          <span class="logo" aria-hidden="true">
            ◆
          </span>{' '}
          hookd
        </h1>
        <p class="muted">Log in with an API key of your workspace. The key is not kept in this browser.</p>
        <div class="field">
          <label for="api-key">API key</label>
          <input
            id="api-key"
            name="apiKey"
            type="password"
            autoComplete="off"
            placeholder="hk_…"
            required
            value={key}
            onInput={(e) => setKey(e.currentTarget.value)}
            aria-describedby={error ? 'login-error' : undefined}
          />
        </div>
        {error && (
          <p class="notice notice-error" id="login-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy || !key.trim()}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </main>
  );
}

export function PortalExpiredPage() {
  return (
    <main class="login" id="main">
      <div class="card login-card">
        <h1>This link has expired</h1>
        <p>Open the webhooks page again from the application that sent you here to get a new link.</p>
      </div>
    </main>
  );
}
