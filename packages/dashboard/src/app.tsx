// The app: find the session (cookie or portal token), then the page the address names inside the shell.
import { useEffect, useState } from 'preact/hooks';
import { readableAccent } from './accent';
import { SESSION_ENDED_EVENT } from './api/client';
import { actInWorkspace, isPortal, loadSession, logOut, type Session } from './api/session';
import { useRoute, type Route } from './router';
import { SessionContext, type SessionState } from './session-context';
import { Shell } from './shell';
import { LoginPage, PortalExpiredPage } from './pages/login';
import { WebhooksPage } from './pages/webhooks-page';
import { NewWebhookPage } from './pages/new-webhook-page';
import { WebhookPage } from './pages/webhook-page';
import { DeliveryPage } from './pages/delivery-page';
import { EventTypesPage } from './pages/event-types-page';
import { SettingsPage } from './pages/settings-page';

function RoutedPage({ route }: { route: Route }) {
  switch (route.page) {
    case 'webhooks':
      return <WebhooksPage />;
    case 'new-webhook':
      return <NewWebhookPage />;
    case 'webhook':
      return <WebhookPage id={route.id} />;
    case 'delivery':
      return <DeliveryPage id={route.id} />;
    case 'event-types':
      return <EventTypesPage />;
    case 'settings':
      return <SettingsPage />;
    default:
      return (
        <section>
          <h1>Not found</h1>
          <p>
            There is nothing at this address. <a href="#/">Back to the webhooks</a>
          </p>
        </section>
      );
  }
}

/** The workspace's accent colour (portal branding), set through the CSSOM, which the CSP allows. */
function useAccent(color: string | null | undefined) {
  useEffect(() => {
    const accent = readableAccent(color);
    if (accent) document.documentElement.style.setProperty('--accent', accent);
    else document.documentElement.style.removeProperty('--accent');
  }, [color]);
}

export function App() {
  const [state, setState] = useState<SessionState | undefined>(undefined);
  const [checked, setChecked] = useState(false);
  const route = useRoute();
  useAccent(state?.session.workspace.accentColor);

  const start = (session: Session | undefined) => {
    setState(session && { session, workspaceId: session.workspace.id, canWrite: !session.readOnly });
    setChecked(true);
  };
  useEffect(() => {
    void loadSession().then(start);
    // A session that ends while the page is open (expired, key revoked) sends the person back to the log-in.
    const ended = () => setState(undefined);
    addEventListener(SESSION_ENDED_EVENT, ended);
    return () => removeEventListener(SESSION_ENDED_EVENT, ended);
  }, []);
  useEffect(() => {
    document.title = state ? `${state.session.workspace.name} · hookd` : 'hookd';
  }, [state]);

  if (!checked) return <p class="loading">Loading…</p>;
  if (!state) return isPortal() ? <PortalExpiredPage /> : <LoginPage onLoggedIn={start} />;

  const switchWorkspace = (workspaceId: string) => {
    actInWorkspace(state.session, workspaceId);
    setState({ ...state, workspaceId });
    location.hash = '#/';
  };
  const logOutNow = async () => {
    await logOut();
    setState(undefined);
    location.hash = '#/';
  };
  return (
    <SessionContext.Provider value={state}>
      <Shell route={route} onSwitch={switchWorkspace} onLogOut={() => void logOutNow()}>
        <RoutedPage key={`${state.workspaceId} ${route.page}`} route={route} />
      </Shell>
    </SessionContext.Provider>
  );
}
